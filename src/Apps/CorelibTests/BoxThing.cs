// A generic IThing<T>: BoxThing<string> runs shared (canonical) code, BoxThing<int> its own.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class BoxThing<T> : IThing<T>
    {
        private readonly T _value;
        private readonly int _tag;

        public BoxThing(T value, int tag)
        {
            _value = value;
            _tag = tag;
        }

        public T Get() => _value;

        public int Tag() => _tag;
    }
}
