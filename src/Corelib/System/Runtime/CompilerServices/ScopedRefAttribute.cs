// Compile-time marker attribute the C# compiler or ILCompiler looks for, as in .NET.
namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class ScopedRefAttribute : Attribute
    {
        public ScopedRefAttribute() { }
    }
}
