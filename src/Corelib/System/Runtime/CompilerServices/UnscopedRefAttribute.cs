// Compile-time marker attribute the C# compiler or ILCompiler looks for, as in .NET.
namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter)]
    public sealed class UnscopedRefAttribute : Attribute
    {
        public UnscopedRefAttribute() { }
    }
}
