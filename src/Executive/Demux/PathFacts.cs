// What AtomExtractor records per accepting path besides its atoms: whether it is exact apart
// from its open "not equal" branches, and those branches (not implied by an atom on the same field).
namespace ExoSharp.Executive.Demux;

internal struct PathFacts
{
    public bool Exact;
    public Atom[] Open;
}
