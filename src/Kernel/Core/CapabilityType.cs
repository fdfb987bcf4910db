// What a capability names.
namespace ExoSharp.Kernel.Core
{
    internal enum CapabilityType : byte
    {
        None = 0,
        Frame = 1,
        Environment = 2,
        Machine = 3,
    }
}
