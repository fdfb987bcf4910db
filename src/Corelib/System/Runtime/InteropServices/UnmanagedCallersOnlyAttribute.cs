// Marks a method callable from native code (assembly stubs); EntryPoint exports it by name.
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public UnmanagedCallersOnlyAttribute() { }
        public string EntryPoint;
        public Type[] CallConvs;
    }
}
