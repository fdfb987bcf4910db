// An IThing<int> that counts its calls.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class CounterThing : IThing<int>
    {
        private int _calls;

        public int Get() => ++_calls;

        public int Tag() => 1;
    }
}
