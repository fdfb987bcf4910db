// An IShape with 7 sides (implicit, non-virtual implementation: a sealed vtable slot).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Heptagon : IShape
    {
        public int Sides() => 7;

        public long Mix(long a, int b, long c, int d, long e, double f, long g) => ShapeMath.Mix(Sides(), a, b, c, d, e, f, g);
    }
}
