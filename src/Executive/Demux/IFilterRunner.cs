// How FilterSet.Classify runs programs: the merged program and filters that run on their own.
// InterpretingRunner uses the interpreter; a host or kernel runner runs compiled code (it may cache
// it per FilterSet.Version for the merged program and per FilterEntry.Id for the others).
namespace ExoSharp.Executive.Demux;

public unsafe interface IFilterRunner
{
    uint RunMerged(FilterSet set, byte* packet, uint length, uint wireLength);

    uint RunFilter(FilterEntry filter, byte* packet, uint length, uint wireLength);
}
