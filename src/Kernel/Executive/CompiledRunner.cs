// The kernel's IFilterRunner: FilterSet.Classify through compiled code. Refresh, which the
// install and remove calls run after changing the set, starts compiling what changed (the
// merged program when its version moved, lone filters that are new) and frees the code of
// filters that left; Step does at most a budget of that compiling (docs/abi.md, "Bounded kernel
// work"), from those calls and from the timer tick. Until a program's code is ready it runs in
// the interpreter (UsedInterpreter says so), as does a program the compiler cannot take.
// Classify itself allocates nothing.
using System;
using ExoSharp.Executive.Demux;
using ExoSharp.Executive.Engines;

namespace ExoSharp.Kernel.Executive;

internal sealed unsafe class CompiledRunner : IFilterRunner
{
    private uint _version = uint.MaxValue;      // the set version _merged was compiled from
    private NativeCode _merged;
    private CompileJob _mergedJob;               // compiling set version _jobVersion
    private uint _jobVersion;
    private readonly uint[] _aloneIds = new uint[FilterSet.MaxFilters];
    private readonly NativeCode[] _aloneCode = new NativeCode[FilterSet.MaxFilters];
    private readonly CompileJob[] _aloneJobs = new CompileJob[FilterSet.MaxFilters];
    private int _aloneCount;

    /// <summary>Set when a classification ran a program in the interpreter; the caller clears it.</summary>
    public bool UsedInterpreter;

    /// <summary>Whether some compiling is left for Step.</summary>
    public bool Pending { get; private set; }

    /// <summary>Starts compiling what changed: the merged program when the version moved, lone
    /// filters that are new; frees the code of filters that left.</summary>
    public void Refresh(FilterSet set)
    {
        if (set.Version != _version && (_mergedJob == null || _jobVersion != set.Version))
        {
            _merged.Free();
            _mergedJob = new CompileJob(set.MergedProgram);
            _jobVersion = set.Version;
        }
        ReadOnlySpan<FilterEntry> alone = set.Alone;
        for (int i = 0; i < _aloneCount;)
        {
            if (Contains(alone, _aloneIds[i]))
            {
                i++;
                continue;
            }
            _aloneCode[i].Free();
            _aloneCount--;
            _aloneIds[i] = _aloneIds[_aloneCount];
            _aloneCode[i] = _aloneCode[_aloneCount];
            _aloneJobs[i] = _aloneJobs[_aloneCount];
            _aloneCode[_aloneCount] = default;
            _aloneJobs[_aloneCount] = null;
        }
        for (int i = 0; i < alone.Length; i++)
        {
            if (Find(alone[i].Id) >= 0 || _aloneCount == _aloneIds.Length) continue;
            _aloneIds[_aloneCount] = alone[i].Id;
            _aloneJobs[_aloneCount] = new CompileJob(alone[i].Program);
            _aloneCount++;
        }
        Pending = true;
    }

    /// <summary>Compiles at most budget instructions' worth (CompileJob's units).</summary>
    public void Step(int budget)
    {
        if (_mergedJob != null)
        {
            if (!_mergedJob.Step(ref budget, out _merged)) return;
            _mergedJob = null;
            _version = _jobVersion;
        }
        for (int i = 0; i < _aloneCount; i++)
        {
            if (_aloneJobs[i] == null) continue;
            if (!_aloneJobs[i].Step(ref budget, out _aloneCode[i])) return;
            _aloneJobs[i] = null;
        }
        Pending = false;
    }

    public uint RunMerged(FilterSet set, byte* packet, uint length, uint wireLength)
    {
        if (_merged.IsValid && set.Version == _version) return _merged.Run(packet, length, wireLength, null);
        UsedInterpreter = true;
        return Interpreter.Run(set.MergedProgram, packet, length, wireLength, null);
    }

    public uint RunFilter(FilterEntry filter, byte* packet, uint length, uint wireLength)
    {
        int at = Find(filter.Id);
        if (at >= 0 && _aloneCode[at].IsValid) return _aloneCode[at].Run(packet, length, wireLength, null);
        UsedInterpreter = true;
        return Interpreter.Run(filter.Program, packet, length, wireLength, null);
    }

    /// <summary>Bytes of compiled code held (merged program and lone filters).</summary>
    public int CodeBytes
    {
        get
        {
            int total = _merged.Length;
            for (int i = 0; i < _aloneCount; i++) total += _aloneCode[i].Length;
            return total;
        }
    }

    private int Find(uint id)
    {
        for (int i = 0; i < _aloneCount; i++)
            if (_aloneIds[i] == id) return i;
        return -1;
    }

    private static bool Contains(ReadOnlySpan<FilterEntry> filters, uint id)
    {
        for (int i = 0; i < filters.Length; i++)
            if (filters[i].Id == id) return true;
        return false;
    }
}
