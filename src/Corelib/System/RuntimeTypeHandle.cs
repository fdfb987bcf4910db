// A handle the compiler passes for ldtoken; opaque here (no reflection).
namespace System
{
    public struct RuntimeTypeHandle
    {
        private nint _value;

        public nint Value => _value;
    }
}
