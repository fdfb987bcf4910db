// A generic class for the generics check: a growable stack over an array.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Stack<T>
    {
        private T[] _items = new T[2];
        private int _count;

        public int Count => _count;

        public void Push(T item)
        {
            if (_count == _items.Length)
            {
                T[] larger = new T[_items.Length * 2];
                for (int i = 0; i < _count; i++) larger[i] = _items[i];
                _items = larger;
            }
            _items[_count++] = item;
        }

        public T Pop() => _items[--_count];
    }
}
