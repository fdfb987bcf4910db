// Derives from VirtualShape without restating IShape: its Sides override is found through the
// base type's dispatch map and this type's own vtable.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class OverridingShape : VirtualShape
    {
        public override int Sides() => 11;
    }
}
