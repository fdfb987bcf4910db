// Many owners' packet filters demultiplexed together. Exact atom-shaped filters share one trie,
// compiled to one program (cost follows the distinct tests on a packet's path, not the filter
// count); the others run alone after it, only while they could still win. Overlap rule: a filter
// that may accept another owner's packets is refused; an owner's earliest matching filter wins.
// Missing: incremental rebuild (each change regenerates everything), header-field authority.
using System;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Collections;
using ExoSharp.Executive.Verification;

namespace ExoSharp.Executive.Demux;

public sealed unsafe class FilterSet
{
    public const int MaxFilters = 1024;

    /// <summary>The instruction budget per packet for filters that run alone (cannot be merged),
    /// proven by the verifier at install (each filter's MaxSteps) and kept by Classify: per
    /// owner, and for all owners together. The merged program is bounded by its length.</summary>
    public const int MaxLoneStepsPerOwner = 1024, MaxLoneSteps = 2048;

    private readonly GrowableArray<FilterEntry> _filters = new GrowableArray<FilterEntry>(8);
    private FilterEntry[] _byRank = new FilterEntry[0];
    private FilterEntry[] _alone = new FilterEntry[0];
    private Instruction[] _merged;
    private uint _nextId = 1;
    private static readonly InterpretingRunner Interpreting = new InterpretingRunner();

    /// <summary>The interpreter as a runner (the reference engine).</summary>
    public static IFilterRunner Interpreter => Interpreting;

    public FilterSet() => _merged = MergedProgramGenerator.Generate(new TrieNode());

    /// <summary>The merged program: returns the rank of the earliest matching merged filter, 0 for none.</summary>
    public Instruction[] MergedProgram => _merged;

    /// <summary>Changes whenever the merged program does (engines recompile when it moves).</summary>
    public uint Version { get; private set; }

    public int Count => _filters.Count;

    public int MergedCount => _byRank.Length - _alone.Length;

    /// <summary>Filters that run on their own, in install order.</summary>
    public ReadOnlySpan<FilterEntry> Alone => _alone;

    /// <summary>The filter at position i (install order), for walks over every filter.</summary>
    public FilterEntry this[int i] => _filters[i];

    /// <summary>How many filters owner has.</summary>
    public int Owned(ulong owner)
    {
        int n = 0;
        for (int i = 0; i < _filters.Count; i++)
            if (_filters[i].Owner == owner) n++;
        return n;
    }

    public FilterEntry Find(uint id)
    {
        for (int i = 0; i < _filters.Count; i++)
            if (_filters[i].Id == id) return _filters[i];
        return null;
    }

    public InstallResult Install(ulong owner, ReadOnlySpan<Instruction> program)
    {
        VerifierResult verdict = Verifier.Verify(program, VerifierOptions.PacketFilter);
        if (!verdict.IsValid) return new InstallResult { Status = InstallStatus.Rejected, Verification = verdict };
        if (_filters.Count >= MaxFilters) return new InstallResult { Status = InstallStatus.Full, Verification = verdict };
        FilterShape shape = AtomExtractor.Extract(program);
        for (int i = 0; i < _filters.Count; i++)
        {
            FilterEntry other = _filters[i];
            if (other.Owner != owner && shape.MayOverlap(other.Shape))
                return new InstallResult { Status = InstallStatus.Overlap, ConflictingFilterId = other.Id, Verification = verdict };
        }
        var copy = new Instruction[program.Length];
        for (int i = 0; i < program.Length; i++) copy[i] = program[i];
        var entry = new FilterEntry(_nextId, owner, copy, shape, verdict.MaxSteps);
        if (!entry.Mergeable)
        {
            int ownerSteps = 0, allSteps = 0;
            for (int i = 0; i < _alone.Length; i++)
            {
                allSteps += _alone[i].MaxSteps;
                if (_alone[i].Owner == owner) ownerSteps += _alone[i].MaxSteps;
            }
            if (ownerSteps + entry.MaxSteps > MaxLoneStepsPerOwner || allSteps + entry.MaxSteps > MaxLoneSteps)
                return new InstallResult { Status = InstallStatus.OverBudget, Verification = verdict };
        }
        _filters.Add(entry);
        if (!Rebuild())
        {
            _filters.Truncate(_filters.Count - 1);
            Rebuild();
            return new InstallResult { Status = InstallStatus.Full, Verification = verdict };
        }
        _nextId++;
        return new InstallResult { Status = InstallStatus.Installed, FilterId = entry.Id, Verification = verdict };
    }

    /// <summary>Removes a filter; only its owner may.</summary>
    public InstallStatus Remove(ulong owner, uint id)
    {
        for (int i = 0; i < _filters.Count; i++)
        {
            if (_filters[i].Id != id) continue;
            if (_filters[i].Owner != owner) return InstallStatus.NotOwner;
            _filters.RemoveAt(i);
            Rebuild();
            return InstallStatus.Installed;
        }
        return InstallStatus.NotFound;
    }

    /// <summary>Classifies with the interpreter.</summary>
    public DemuxResult Classify(byte* packet, uint length, uint wireLength) => Classify(Interpreting, packet, length, wireLength);

    /// <summary>The earliest installed filter that accepts the packet, if any.</summary>
    public DemuxResult Classify(IFilterRunner runner, byte* packet, uint length, uint wireLength)
    {
        uint best = runner.RunMerged(this, packet, length, wireLength);
        DemuxResult result = default;
        if (best != 0 && best <= (uint)_byRank.Length)
        {
            FilterEntry winner = _byRank[best - 1];
            result = new DemuxResult { Matched = true, FilterId = winner.Id, Owner = winner.Owner, Value = winner.Shape.Conjunctions[0].Result };
        }
        int steps = 0;
        for (int i = 0; i < _alone.Length; i++)
        {
            FilterEntry filter = _alone[i];
            if (result.Matched && filter.Rank > best) break;
            steps += filter.MaxSteps;
            if (steps > MaxLoneSteps) break;        // never, while Install keeps the budget
            uint value = runner.RunFilter(filter, packet, length, wireLength);
            if (value != 0) return new DemuxResult { Matched = true, FilterId = filter.Id, Owner = filter.Owner, Value = value };
        }
        return result;
    }

    /// <summary>Re-ranks the filters and regenerates the merged program; false if it does not fit.</summary>
    private bool Rebuild()
    {
        var root = new TrieNode();
        var byRank = new FilterEntry[_filters.Count];
        int alone = 0;
        for (int i = 0; i < _filters.Count; i++)
        {
            FilterEntry filter = _filters[i];
            filter.Rank = (uint)i + 1;
            byRank[i] = filter;
            filter.Merged = filter.Mergeable;
            if (!filter.Merged)
            {
                alone++;
                continue;
            }
            for (int c = 0; c < filter.Shape.Conjunctions.Length; c++) root.Insert(filter.Shape.Conjunctions[c].Atoms, filter.Rank);
        }
        Instruction[] merged = MergedProgramGenerator.Generate(root);
        if (merged == null || !Verifier.Verify(merged, VerifierOptions.PacketFilter).IsValid) return false;
        var aloneList = new FilterEntry[alone];
        alone = 0;
        for (int i = 0; i < byRank.Length; i++)
            if (!byRank[i].Merged) aloneList[alone++] = byRank[i];
        _merged = merged;
        _byRank = byRank;
        _alone = aloneList;
        Version++;
        return true;
    }
}
