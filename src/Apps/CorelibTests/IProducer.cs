// A covariant interface: an IProducer<string> is called through IProducer<object>.
namespace ExoSharp.Apps.CorelibTests
{
    internal interface IProducer<out T>
    {
        T Produce();
    }
}
