// Packet filters: one FilterSet for the machine, each filter owned by the environment that
// installed it (packets go to it). Install verifies, applies the overlap rule and merges, and
// gives a Filter capability; a holder of one removes the filter; Classify runs the merged
// compiled filters over a packet from the caller (to test and measure the filters without the
// card; received frames go through Claim into packet rings). An
// ended owner's filters stop matching at once and leave the set at the next install or removal,
// so ending an environment allocates nothing. The receive path and NetTransmit's anti-spoofing
// check classify through Claim. Missing: header-field authority (who may claim which ports).
using System;
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Demux;
using ExoSharp.Kernel.Core;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Executive;

internal static unsafe class PacketFilters
{
    // Each filter's owner in the FilterSet is its environment's full id (never reused).
    private static FilterSet s_set;
    private static CompiledRunner s_runner;
    private static byte* s_packet;
    private static bool s_ownersEnded;

    /// <summary>Instructions compiled at most per executive call and per timer tick (CompileJob's
    /// units); the rest waits for the next, the interpreter running the program meanwhile.</summary>
    public const int CompilePerCall = 64, CompilePerTick = 256;

    public static void Initialize()
    {
        s_set = new FilterSet();
        s_runner = new CompiledRunner();
        s_runner.Refresh(s_set);
        s_packet = (byte*)NativeMemory.Alloc(ExecutiveLimits.MaxPacket);
    }

    /// <summary>FilterInstall(program, count, report): the new filter's capability handle (its
    /// id in the report).</summary>
    public static long Install(Environment env, ulong program, ulong count, ulong report)
    {
        if (count > ExecutiveLimits.MaxFilterProgram) return (long)Error.BadLength;
        long error = ProgramArguments.Copy(env, program, count, report, out ReadOnlySpan<Instruction> code);
        if (error < 0) return error;
        if (!ExecutiveBudget.CanSpend) return (long)Error.NoMemory;
        if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
        ulong before = ExecutiveBudget.Begin();
        RemoveEnded();
        long result = InstallCopied(env, code, report);
        if (s_runner.Pending) s_runner.Step(CompilePerCall);
        ExecutiveBudget.End(before);
        if (result <= 0) return result;
        if (report != 0) ((ProgramReport*)report)->FilterId = (uint)result;
        return (long)env.Capabilities.Insert(CapabilityType.Filter, (ulong)result, false);
    }

    private static long InstallCopied(Environment env, ReadOnlySpan<Instruction> code, ulong report)
    {
        if (s_set.Count == FilterSet.MaxFilters || s_set.Owned(env.Id) >= ExecutiveLimits.MaxFiltersPerEnv) return (long)Error.TableFull;
        InstallResult result = s_set.Install(env.Id, code);
        ProgramArguments.Report(report, result.Verification);
        switch (result.Status)
        {
            case InstallStatus.Installed:
                s_runner.Refresh(s_set);
                return result.FilterId;
            case InstallStatus.Rejected:
                return (long)Error.ProgramRefused;
            case InstallStatus.OverBudget:
                return (long)Error.OverBudget;
            case InstallStatus.Overlap:
            {
                FilterEntry other = s_set.Find(result.ConflictingFilterId);
                ProgramArguments.ReportConflict(report, result.ConflictingFilterId, other == null ? 0 : (uint)other.Owner);
                return (long)Error.Overlap;
            }
            default:
                return (long)Error.TableFull;
        }
    }

    /// <summary>FilterRemove(handle): any holder of the filter's capability may; the caller's
    /// capability goes with it (copies elsewhere then name no filter).</summary>
    public static long Remove(Environment env, ulong handle)
    {
        CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Filter);
        if (slot == null) return (long)Error.BadHandle;
        FilterEntry filter = s_set.Find((uint)slot->Object);
        if (filter == null || EnvTable.Find(filter.Owner) == null) return (long)Error.NoSuchProgram;
        if (!ExecutiveBudget.HasReserve) return (long)Error.NoMemory;
        env.Capabilities.Remove(slot);
        ulong before = ExecutiveBudget.Begin();
        s_set.Remove(filter.Owner, filter.Id);
        RemoveEnded();
        s_runner.Refresh(s_set);
        s_runner.Step(CompilePerCall);
        ExecutiveBudget.End(before);
        return 0;
    }

    /// <summary>FilterClassify(packet, length, match): the owner's id, or 0 when no live
    /// environment's filter claims the packet; compiled code runs it (the interpreter only
    /// for a program the compiler could not take).</summary>
    public static long Classify(Environment env, ulong packet, ulong length, ulong match) =>
        Classify(env, packet, length, match, false, 1);

#if BENCH
    public const ulong MaxRepeat = 1000;

    /// <summary>The bench-only build's FilterClassify (make bench boots out/kernel-bench.elf;
    /// not part of the ABI): r10 = engine (0 or FilterEngine.Native: compiled code;
    /// FilterEngine.Interpreter: the interpreter, the reference), r8 = repeat (0 means 1, at
    /// most MaxRepeat): classify that many times, as Linux's BPF_PROG_TEST_RUN does, so the
    /// bench can spread the call's cost the way Linux's test run does.</summary>
    public static long ClassifyForBench(Environment env, ulong packet, ulong length, ulong match, ulong engine, ulong repeat)
    {
        if (engine != 0 && engine != FilterEngine.Native && engine != FilterEngine.Interpreter) return (long)Error.BadArgument;
        if (repeat > MaxRepeat) return (long)Error.BadArgument;
        return Classify(env, packet, length, match, engine == FilterEngine.Interpreter, repeat == 0 ? 1 : repeat);
    }
#endif

    private static long Classify(Environment env, ulong packet, ulong length, ulong match, bool interpret, ulong repeat)
    {
        if (length > ExecutiveLimits.MaxPacket) return (long)Error.BadLength;
        if (!UserMemory.CanAccess(env.Space, packet, length, false)) return (long)Error.BadAddress;
        if (match != 0 && !UserMemory.CanAccess(env.Space, match, (ulong)sizeof(FilterMatch), true)) return (long)Error.BadAddress;
        System.Buffer.MemoryCopy((void*)packet, s_packet, ExecutiveLimits.MaxPacket, (long)length);
        if (s_runner.Pending) s_runner.Step(CompilePerCall);
        s_runner.UsedInterpreter = false;
        // Repeats only rerun the merged program (Linux's test run reruns the program too), then
        // one full classification gives the result: filters that run alone run once, so a
        // call costs at most repeat merged runs plus FilterSet.MaxLoneSteps.
        IFilterRunner runner = interpret ? FilterSet.Interpreter : s_runner;
        for (; repeat > 1; repeat--) runner.RunMerged(s_set, s_packet, (uint)length, (uint)length);
        DemuxResult result = s_set.Classify(runner, s_packet, (uint)length, (uint)length);
        // Owners never overlap, so a packet an ended owner's filter claims belongs to nobody.
        ulong owner = result.Matched ? result.Owner : 0;
        if (owner != 0 && EnvTable.Find(owner) == null) owner = 0;
        if (owner == 0) result = default;
        if (match != 0)
        {
            var m = (FilterMatch*)match;
            m->Owner = owner;
            m->FilterId = result.Matched ? result.FilterId : 0;
            m->Value = result.Matched ? result.Value : 0;
            m->Engine = interpret || s_runner.UsedInterpreter ? FilterEngine.Interpreter : FilterEngine.Native;
        }
        return (long)owner;
    }

    /// <summary>The kernel's own classification (the receive path, the anti-spoofing check) of a
    /// frame in kernel memory: the live owner's id and the claiming filter, or 0 when nobody's
    /// filter claims it. Interrupts off; allocates nothing.</summary>
    public static ulong Claim(byte* packet, uint length, out uint filterId)
    {
        filterId = 0;
        if (s_set == null) return 0;
        DemuxResult result = s_set.Classify(s_runner, packet, length, length);
        if (!result.Matched || EnvTable.Find(result.Owner) == null) return 0;
        filterId = result.FilterId;
        return result.Owner;
    }

    /// <summary>Every timer tick: more of the compiling left (must not switch environments).</summary>
    public static void Tick()
    {
        if (s_runner != null && s_runner.Pending) s_runner.Step(CompilePerTick);
    }

    /// <summary>env is ending: its filters stop matching now (Classify checks the owner) and
    /// go at the next install or removal. Allocates nothing.</summary>
    public static void Forget(Environment env)
    {
        if (s_set.Owned(env.Id) > 0) s_ownersEnded = true;
    }

    /// <summary>Removes the filters of ended owners (then the compiled code is refreshed).</summary>
    private static void RemoveEnded()
    {
        if (!s_ownersEnded) return;
        bool removed = false;
        for (int i = s_set.Count - 1; i >= 0; i--)
        {
            FilterEntry filter = s_set[i];
            if (EnvTable.Find(filter.Owner) != null) continue;
            s_set.Remove(filter.Owner, filter.Id);
            removed = true;
        }
        s_ownersEnded = false;
        if (removed) s_runner.Refresh(s_set);
    }
}
