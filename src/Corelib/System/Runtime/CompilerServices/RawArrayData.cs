// The shape of an array's header, for reaching its elements through Unsafe.As.
namespace System.Runtime.CompilerServices
{
    internal sealed class RawArrayData
    {
        public uint Length;
        public uint Padding;
        public byte Data;
    }
}
