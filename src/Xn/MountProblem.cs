// One inconsistency mount found: the error, the block it concerns and the block that pointed to
// it (XnVolume.NoBlock for the catalogue or a template). The block is left out of the registry.
using ExoSharp.Abi;

namespace ExoSharp.Xn;

public struct MountProblem
{
    public Error Error;
    public uint Block;
    public uint Parent;
}
