// A list that grows by doubling, for the corelib has no List<T>. Elements are returned by
// reference; Count never exceeds the backing array. Missing: removal except from the end,
// shrinking, enumeration (index it).
using System;

namespace ExoSharp.Executive.Collections;

public sealed class GrowableArray<T>
{
    private T[] _items;
    private int _count;

    public GrowableArray(int capacity = 8) => _items = new T[capacity < 1 ? 1 : capacity];

    public int Count => _count;

    /// <summary>Precondition: 0 &lt;= index &lt; Count.</summary>
    public ref T this[int index] => ref _items[index];

    public void Add(T item)
    {
        if (_count == _items.Length) Grow(_count + 1);
        _items[_count++] = item;
    }

    public void Clear() => _count = 0;

    /// <summary>Drops elements from the end; precondition: count &lt;= Count.</summary>
    public void Truncate(int count) => _count = count;

    public void RemoveAt(int index)
    {
        for (int i = index; i + 1 < _count; i++) _items[i] = _items[i + 1];
        _count--;
    }

    public Span<T> AsSpan() => new Span<T>(_items).Slice(0, _count);

    public T[] ToArray()
    {
        T[] result = new T[_count];
        for (int i = 0; i < _count; i++) result[i] = _items[i];
        return result;
    }

    private void Grow(int needed)
    {
        int size = _items.Length * 2;
        if (size < needed) size = needed;
        T[] bigger = new T[size];
        for (int i = 0; i < _count; i++) bigger[i] = _items[i];
        _items = bigger;
    }
}
