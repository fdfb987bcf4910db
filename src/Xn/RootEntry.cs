// A named entry point in XN's root catalogue: the root block, its type and the owner tag (64 bits:
// a key nobody can guess) that opens it. The catalogue block on disk holds the same fields
// (XnLayout.Root*Offset). XN checks the tag; the kernel hands out capabilities for roots
// (Kernel/Xn/XnService.cs) and passes a root's tag only for blocks under that root.
namespace ExoSharp.Xn;

public struct RootEntry
{
    public bool InUse;
    public uint Block;
    public uint Type;
    /// <summary>The owner key (non-zero).</summary>
    public ulong Owner;
}
