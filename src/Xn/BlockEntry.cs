// One registry entry per disk block (XN's "registry", kept for every block, in core or not).
// Invariants: an Allocated block's Parent names it in its owns() output exactly once; Taint is the
// number of the block's children not yet initialised on disk; a block with Taint > 0 is never
// written; Snapshots - Durable is 0 or 1 (at most one write in flight). Missing: a packed form
// (this is about 56 bytes a block; a 4 GiB disk needs 56 MiB).
namespace ExoSharp.Xn;

public struct BlockEntry
{
    public BlockState State;
    /// <summary>The block's type: 0 data, else a template's type.</summary>
    public uint Type;
    /// <summary>The block whose owns() names it (the catalogue for a root); XnVolume.NoBlock for none.</summary>
    public uint Parent;
    /// <summary>The catalogue index of the root the block belongs to (its owner).</summary>
    public int Root;
    /// <summary>A write of the block has completed since it was allocated (or mount found it).</summary>
    public bool OnDisk;
    /// <summary>The in-core copy differs from the last write submitted.</summary>
    public bool Dirty;
    /// <summary>A write of the block is in flight.</summary>
    public bool Writing;
    /// <summary>Children of this block not yet initialised on disk.</summary>
    public int Taint;
    /// <summary>Blocks this block points to (its owns() output, in blocks).</summary>
    public int Children;
    /// <summary>Its buffer-cache slot, or -1.</summary>
    public int Slot;
    /// <summary>Writes submitted (each a snapshot of the in-core copy) and writes completed.</summary>
    public uint Snapshots;
    public uint Durable;
    /// <summary>FreePending: released once WaitBlock's write numbered WaitSeq or later has completed
    /// (NoBlock: once no write of this block is in flight).</summary>
    public uint WaitBlock;
    public uint WaitSeq;
    /// <summary>The list of FreePending blocks waiting for this block's writes (NoBlock ends it).</summary>
    public uint FirstWaiter;
    /// <summary>In a logged move whose record is not yet cleared (it may not move again until then).</summary>
    public bool Moving;
    public uint NextWaiter;
}
