// An IShape whose Sides is virtual: the dispatch map names a vtable slot, so a derived type's
// override (OverridingShape) must win over this implementation.
namespace ExoSharp.Apps.CorelibTests
{
    internal class VirtualShape : IShape
    {
        public virtual int Sides() => 10;

        public long Mix(long a, int b, long c, int d, long e, double f, long g) => ShapeMath.Mix(Sides(), a, b, c, d, e, f, g);
    }
}
