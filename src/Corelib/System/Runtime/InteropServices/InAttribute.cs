// Marshalling direction marker, as in .NET.
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class InAttribute : Attribute
    {
        public InAttribute() { }
    }
}
