// Imports a native function, as in .NET; on bare metal the linker resolves EntryPoint directly.
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class DllImportAttribute : Attribute
    {
        public DllImportAttribute(string dllName) { Value = dllName; }
        public string Value { get; }
        public string EntryPoint;
        public bool ExactSpelling;
    }
}
