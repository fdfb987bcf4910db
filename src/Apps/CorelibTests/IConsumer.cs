// A contravariant interface: an IConsumer<object> is called through IConsumer<string>.
namespace ExoSharp.Apps.CorelibTests
{
    internal interface IConsumer<in T>
    {
        int Take(T item);
    }
}
