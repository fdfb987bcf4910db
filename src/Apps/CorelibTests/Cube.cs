// An ISolid: implements IShape's methods only by way of the derived interface.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Cube : ISolid
    {
        public int Sides() => 12;

        public int Faces() => 6;

        public long Mix(long a, int b, long c, int d, long e, double f, long g) => ShapeMath.Mix(Sides(), a, b, c, d, e, f, g);

        public string Describe() => "cube";
    }
}
