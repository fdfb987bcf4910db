// What a capability names. Retired marks a slot whose generation ran out: it is never used
// again, so no handle can name two capabilities (CapabilityTable).
namespace ExoSharp.Kernel.Core
{
    internal enum CapabilityType : byte
    {
        None = 0,
        Frame = 1,
        Environment = 2,
        Retired = 255,
    }
}
