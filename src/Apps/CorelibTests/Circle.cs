// An IShape that overrides the default interface method Describe.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Circle : IShape
    {
        public int Sides() => 0;

        public long Mix(long a, int b, long c, int d, long e, double f, long g) => ShapeMath.Mix(Sides(), a, b, c, d, e, f, g);

        public string Describe() => "circle";
    }
}
