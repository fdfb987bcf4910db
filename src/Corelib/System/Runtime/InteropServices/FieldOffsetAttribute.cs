// The byte offset of a field in an explicit-layout struct, as in .NET.
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        public FieldOffsetAttribute(int offset) { Value = offset; }
        public int Value { get; }
    }
}
