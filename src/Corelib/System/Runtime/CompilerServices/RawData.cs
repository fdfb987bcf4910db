// The shape of an object's fields, for unboxing stubs in shared code (required by ILCompiler).
namespace System.Runtime.CompilerServices
{
    internal sealed class RawData
    {
        public byte Data;
    }
}
