// Produces a boxed int through IProducer<object> itself (exact dispatch).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class ObjectProducer : IProducer<object>
    {
        public object Produce() => 5;
    }
}
