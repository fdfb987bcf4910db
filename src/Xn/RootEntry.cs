// A named entry point in XN's root catalogue: the root block, its type and the owner tag whose
// holder alone may change the tree under it (64 bits: a key a holder cannot guess). The catalogue block on disk holds the same fields
// (XnLayout.Root*Offset). Missing: sharing a root between owners, capabilities instead of tags.
namespace ExoSharp.Xn;

public struct RootEntry
{
    public bool InUse;
    public uint Block;
    public uint Type;
    /// <summary>The owner key (non-zero).</summary>
    public ulong Owner;
}
