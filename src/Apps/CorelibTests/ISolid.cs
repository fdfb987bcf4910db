// An interface that inherits IShape: a Cube reaches IShape's methods through it, so IShape is
// in Cube's (flattened) interface map only as a base interface.
namespace ExoSharp.Apps.CorelibTests
{
    internal interface ISolid : IShape
    {
        int Faces();
    }
}
