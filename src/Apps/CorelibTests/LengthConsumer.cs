// Accepts strings exactly (exact dispatch through IConsumer<string>).
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class LengthConsumer : IConsumer<string>
    {
        public int Take(string item) => item.Length;
    }
}
