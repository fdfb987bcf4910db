// Compile-time marker attribute, as in .NET.
namespace System
{
    [AttributeUsage(AttributeTargets.All)]
    public sealed class ObsoleteAttribute : Attribute
    {
        public ObsoleteAttribute() { }
    }
}
