// One installed filter: id, owner, program, shape, and whether it lives in the merged trie
// (Merged) or runs on its own. Rank is its position in install order (1 = earliest), which
// decides between an owner's overlapping filters. Engines may cache compiled code per Id.
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Executive.Demux;

public sealed class FilterEntry
{
    public FilterEntry(uint id, ulong owner, Instruction[] program, FilterShape shape, int maxSteps)
    {
        Id = id;
        Owner = owner;
        Program = program;
        Shape = shape;
        MaxSteps = maxSteps;
    }

    /// <summary>The most instructions one run can take (the verifier's proof: jumps go forward).</summary>
    public int MaxSteps { get; }

    public uint Id { get; }
    public ulong Owner { get; }
    public Instruction[] Program { get; }
    public FilterShape Shape { get; }
    public bool Merged { get; internal set; }
    public uint Rank { get; internal set; }

    /// <summary>True if the shape is exact, non-empty, and all its conjunctions return one value.</summary>
    internal bool Mergeable
    {
        get
        {
            if (!Shape.Exact || Shape.Conjunctions.Length == 0) return false;
            for (int i = 1; i < Shape.Conjunctions.Length; i++)
                if (Shape.Conjunctions[i].Result != Shape.Conjunctions[0].Result) return false;
            return true;
        }
    }
}
