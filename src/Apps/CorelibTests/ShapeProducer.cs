// Produces an IShape; called through IProducer<object> (variant dispatch).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class ShapeProducer : IProducer<Triangle>
    {
        public Triangle Produce() => new Triangle();
    }
}
