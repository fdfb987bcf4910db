// What XN's registry knows about a block. Free blocks may be allocated; FreePending blocks were
// freed but may still be named by a parent on disk (or have a write in flight), so they cannot be
// allocated again yet; Reserved blocks are XN's own (superblock, templates, catalogue).
namespace ExoSharp.Xn;

public enum BlockState : byte
{
    Free = 0,
    Allocated = 1,
    FreePending = 2,
    Reserved = 3,
}
