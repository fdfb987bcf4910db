// Integer Min/Max/Abs, as in .NET. Floating-point functions are missing.
namespace System
{
    public static class Math
    {
        public static int Min(int a, int b) => a < b ? a : b;
        public static int Max(int a, int b) => a > b ? a : b;
        public static long Min(long a, long b) => a < b ? a : b;
        public static long Max(long a, long b) => a > b ? a : b;
        public static ulong Min(ulong a, ulong b) => a < b ? a : b;
        public static ulong Max(ulong a, ulong b) => a > b ? a : b;
        public static nuint Min(nuint a, nuint b) => a < b ? a : b;
        public static nuint Max(nuint a, nuint b) => a > b ? a : b;

        // Checked floating-point to integer conversions, called by compiled code (conv.ovf).
        private static int ConvertToInt32Checked(double value) =>
            value > -2147483649.0 && value < 2147483648.0 ? (int)value : throw new OverflowException();
        private static uint ConvertToUInt32Checked(double value) =>
            value > -1.0 && value < 4294967296.0 ? (uint)value : throw new OverflowException();
        private static long ConvertToInt64Checked(double value) =>
            value >= -9223372036854775808.0 && value < 9223372036854775808.0 ? (long)value : throw new OverflowException();
        private static ulong ConvertToUInt64Checked(double value) =>
            value > -1.0 && value < 18446744073709551616.0 ? (ulong)value : throw new OverflowException();

        public static int Abs(int value)
        {
            if (value == int.MinValue) throw new OverflowException("Negating the minimum value of a twos complement number is invalid.");
            return value < 0 ? -value : value;
        }
    }
}
