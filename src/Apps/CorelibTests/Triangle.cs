// An IShape with 3 sides (implicit, non-virtual implementation: a sealed vtable slot).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Triangle : IShape
    {
        public int Sides() => 3;

        public long Mix(long a, int b, long c, int d, long e, double f, long g) => ShapeMath.Mix(Sides(), a, b, c, d, e, f, g);
    }
}
