// A run of Count blocks from Block, all of one Type: what an owns() record (A, X, K) names.
// Invariant (after ExtentMath.Normalize): Count >= 1 and Block + Count <= the disk's block count.
namespace ExoSharp.Xn;

public struct Extent
{
    public uint Block;
    public uint Count;
    public uint Type;

    public Extent(uint block, uint count, uint type)
    {
        Block = block;
        Count = count;
        Type = type;
    }

    public ulong End => (ulong)Block + Count;
}
