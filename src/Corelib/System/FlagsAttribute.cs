// Compile-time marker attribute, as in .NET.
namespace System
{
    [AttributeUsage(AttributeTargets.Enum)]
    public sealed class FlagsAttribute : Attribute
    {
        public FlagsAttribute() { }
    }
}
