// A node of the merged filter trie: the filters whose every atom held on the way here end here
// (BestRank: the earliest installed of them, 0 if none), and groups of further tests.
using ExoSharp.Executive.Collections;

namespace ExoSharp.Executive.Demux;

public sealed class TrieNode
{
    /// <summary>Rank (1 = earliest installed) of the best filter ending here; 0 for none.</summary>
    public uint BestRank;
    public GrowableArray<TrieGroup> Groups { get; } = new GrowableArray<TrieGroup>(2);

    /// <summary>Adds a conjunction's atoms (canonical order) below this node, ending at rank.</summary>
    public void Insert(Atom[] atoms, uint rank)
    {
        TrieNode node = this;
        for (int i = 0; i < atoms.Length; i++)
        {
            TrieGroup group = null;
            for (int g = 0; g < node.Groups.Count && group == null; g++)
            {
                TrieGroup candidate = node.Groups[g];
                if (candidate.Key.SameAs(atoms[i].Field) && candidate.Mask == atoms[i].Mask) group = candidate;
            }
            if (group == null)
            {
                group = new TrieGroup(atoms[i].Field, atoms[i].Mask);
                node.Groups.Add(group);
            }
            node = group.ChildFor(atoms[i].Value);
        }
        if (node.BestRank == 0 || rank < node.BestRank) node.BestRank = rank;
    }
}
