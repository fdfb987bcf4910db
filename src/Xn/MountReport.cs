// What Mount found: a fatal error (no XN superblock, unreadable disk) or a list of problems (blocks
// out of range, pointed to twice, of unknown type, lying or broken templates), and how many blocks
// the walk reached. Mount never fails hard: a volume with problems still mounts without them.
using ExoSharp.Abi;
using ExoSharp.Executive.Collections;

namespace ExoSharp.Xn;

public sealed class MountReport
{
    public Error Fatal;
    public readonly GrowableArray<MountProblem> Problems = new GrowableArray<MountProblem>();
    /// <summary>Blocks reached from the roots (roots included).</summary>
    public int Reachable;
    public int Templates;
    public int Roots;
    /// <summary>Moves whose `to` had reached the disk before `from`: their change to `from` redone.</summary>
    public int MovesRedone;

    public bool IsConsistent => Fatal == 0 && Problems.Count == 0;

    public void Add(Error error, uint block, uint parent) =>
        Problems.Add(new MountProblem { Error = error, Block = block, Parent = parent });
}
