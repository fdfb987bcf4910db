// Marshalling direction marker, as in .NET.
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class OutAttribute : Attribute
    {
        public OutAttribute() { }
    }
}
