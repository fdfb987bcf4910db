// A handle the compiler passes for ldtoken; opaque here (no reflection).
namespace System
{
    public struct RuntimeFieldHandle
    {
        private nint _value;

        public nint Value => _value;
    }
}
