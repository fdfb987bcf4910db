// The children of a trie node that test one field under one mask: sorted distinct values, each
// leading to its own child. DPF keeps such a group as a hash table; the generated code searches it
// by binary comparisons (log2 of the number of values), which forward-only bytecode can express.
using ExoSharp.Executive.Collections;

namespace ExoSharp.Executive.Demux;

public sealed class TrieGroup
{
    public TrieGroup(FieldKey key, uint mask)
    {
        Key = key;
        Mask = mask;
    }

    public FieldKey Key { get; }
    public uint Mask { get; }
    public GrowableArray<uint> Values { get; } = new GrowableArray<uint>(4);
    public GrowableArray<TrieNode> Children { get; } = new GrowableArray<TrieNode>(4);

    /// <summary>The child for value, created (keeping Values sorted) if absent.</summary>
    public TrieNode ChildFor(uint value)
    {
        int lo = 0, hi = Values.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (Values[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        if (lo < Values.Count && Values[lo] == value) return Children[lo];
        var child = new TrieNode();
        Values.Add(0);
        Children.Add(null);
        for (int i = Values.Count - 1; i > lo; i--)
        {
            Values[i] = Values[i - 1];
            Children[i] = Children[i - 1];
        }
        Values[lo] = value;
        Children[lo] = child;
        return child;
    }
}
