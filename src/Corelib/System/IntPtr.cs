// The built-in nint type. Use nint, not IntPtr ==, against this corelib (BOOT-RECIPE.md).
namespace System
{
    public unsafe struct IntPtr
    {
        private void* _value;

        public static readonly nint Zero;

        public IntPtr(void* value) { _value = value; }
        public IntPtr(long value) { _value = (void*)value; }

        public static int Size => sizeof(nint);

        public void* ToPointer() => _value;

        public static explicit operator IntPtr(void* value) => new IntPtr(value);
        public static explicit operator void*(IntPtr value) => value._value;
        public static explicit operator IntPtr(long value) => new IntPtr(value);
        public static explicit operator long(IntPtr value) => (long)value._value;
    }
}
