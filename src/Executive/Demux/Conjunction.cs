// An AND of atoms in canonical order (sorted, no duplicates) and the value the filter returns
// when they all hold. An empty conjunction holds for every packet.
namespace ExoSharp.Executive.Demux;

public sealed class Conjunction
{
    public Conjunction(Atom[] atoms, uint result)
    {
        Atoms = atoms;
        Result = result;
    }

    public Atom[] Atoms { get; }
    public uint Result { get; }

    /// <summary>True if some atom of one contradicts some atom of the other (no packet satisfies both).</summary>
    public bool Excludes(Conjunction other)
    {
        for (int i = 0; i < Atoms.Length; i++)
            for (int j = 0; j < other.Atoms.Length; j++)
                if (Atoms[i].Contradicts(other.Atoms[j])) return true;
        return false;
    }
}
