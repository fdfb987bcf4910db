// A struct IShape: calls on the boxed value go through an unboxing stub. Its field shows
// that the stub hands the right `this` to the method.
namespace ExoSharp.Apps.CorelibTests
{
    internal struct ValueShape : IShape
    {
        public int Count;

        public ValueShape(int count) { Count = count; }

        public int Sides() => Count;

        public long Mix(long a, int b, long c, int d, long e, double f, long g) => ShapeMath.Mix(Sides(), a, b, c, d, e, f, g);
    }
}
