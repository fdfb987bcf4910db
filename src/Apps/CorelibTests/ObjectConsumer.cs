// Accepts any object; called through IConsumer<string> (contravariant dispatch).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class ObjectConsumer : IConsumer<object>
    {
        public int Take(object item) => item is string ? 1 : 2;
    }
}
