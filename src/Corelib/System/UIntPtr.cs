// The built-in nuint type.
namespace System
{
    public unsafe struct UIntPtr
    {
        private void* _value;

        public UIntPtr(void* value) { _value = value; }
        public UIntPtr(ulong value) { _value = (void*)value; }

        public static int Size => sizeof(nuint);

        public void* ToPointer() => _value;

        public static explicit operator UIntPtr(void* value) => new UIntPtr(value);
        public static explicit operator void*(UIntPtr value) => value._value;
    }
}
