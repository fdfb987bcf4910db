// Produces a string; called through IProducer<object> (variant dispatch).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class StringProducer : IProducer<string>
    {
        public string Produce() => "produced";
    }
}
