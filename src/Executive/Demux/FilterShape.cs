// What the AtomExtractor learned about a filter: a set of conjunctions whose OR covers every
// packet the filter accepts (always), and Exact when that OR is precisely the filter (then the
// filter can join the merged trie; otherwise it runs on its own). Overlap checks use the cover.
namespace ExoSharp.Executive.Demux;

public sealed class FilterShape
{
    public FilterShape(Conjunction[] conjunctions, bool exact)
    {
        Conjunctions = conjunctions;
        Exact = exact;
    }

    public Conjunction[] Conjunctions { get; }
    public bool Exact { get; }

    /// <summary>The shape of a filter nothing is known about: it may accept any packet.</summary>
    public static FilterShape Anything() => new FilterShape(new[] { new Conjunction(new Atom[0], 1) }, false);

    /// <summary>True unless every pair of conjunctions is provably disjoint.</summary>
    public bool MayOverlap(FilterShape other)
    {
        for (int i = 0; i < Conjunctions.Length; i++)
            for (int j = 0; j < other.Conjunctions.Length; j++)
                if (!Conjunctions[i].Excludes(other.Conjunctions[j])) return true;
        return false;
    }
}
