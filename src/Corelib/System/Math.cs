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

        public static int Abs(int value)
        {
            if (value == int.MinValue) throw new OverflowException("Negating the minimum value of a twos complement number is invalid.");
            return value < 0 ? -value : value;
        }
    }
}
