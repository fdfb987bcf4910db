// The reference IFilterRunner: every program through the interpreter. Stateless; one instance
// serves every FilterSet.
using ExoSharp.Executive.Engines;

namespace ExoSharp.Executive.Demux;

public sealed unsafe class InterpretingRunner : IFilterRunner
{
    public uint RunMerged(FilterSet set, byte* packet, uint length, uint wireLength) =>
        Interpreter.Run(set.MergedProgram, packet, length, wireLength, null);

    public uint RunFilter(FilterEntry filter, byte* packet, uint length, uint wireLength) =>
        Interpreter.Run(filter.Program, packet, length, wireLength, null);
}
