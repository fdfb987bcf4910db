// The expected result of IShape.Mix, so a lost or swapped argument changes the answer.
namespace ExoSharp.Apps.CorelibTests
{
    internal static class ShapeMath
    {
        public static long Mix(int sides, long a, int b, long c, int d, long e, double f, long g) =>
            sides * 1000000L + a * 2 + b * 3 + c * 5 + d * 7 + e * 11 + (long)(f * 13) + g * 17;
    }
}
