// Wakeup predicates (XOK's wk): PredicateWait blocks the caller until a verified program over
// up to 8 words of its own memory (context: word i at 4i, then the ticks since the wait began)
// returns non-zero. The scheduler evaluates it when the caller's slot comes up or a Yield names
// it, allocating nothing (timer path); a word whose page is gone ends the wait with BadAddress.
// Missing: waking on the store itself (only scheduler turns check), words in the kernel windows.
using System;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Executive;

internal static unsafe class Predicates
{
    /// <summary>Each environment's last predicate, by table index (kept to be waited on again).</summary>
    private static readonly WakeupPredicate[] s_last = new WakeupPredicate[Capability.MaxEnvironments];

    /// <summary>PredicateWait(program, count, words, wordCount, report): the predicate's value
    /// once it holds (at once if it already does).</summary>
    public static long Wait(Environment env, TrapFrame* frame, ulong program, ulong count, ulong words, ulong wordCount, ulong report)
    {
        long error = ProgramArguments.Copy(env, program, count, report, out ReadOnlySpan<Instruction> code);
        if (error < 0) return error;
        if (wordCount > ExecutiveLimits.MaxPredicateWords) return (long)Error.BadLength;
        ulong* addresses = stackalloc ulong[ExecutiveLimits.MaxPredicateWords];
        if (!UserMemory.CopyFrom(env, words, addresses, wordCount * 8)) return (long)Error.BadAddress;
        for (ulong i = 0; i < wordCount; i++)
        {
            if ((addresses[i] & 3) != 0) return (long)Error.BadArgument;
            if (!UserMemory.CanAccess(env.Space, addresses[i], 4, false)) return (long)Error.BadAddress;
        }

        WakeupPredicate p = s_last[env.Index];
        if (p == null || p.WordCount != (int)wordCount || !Same(p.Program, code))
        {
            var options = new VerifierOptions
            {
                MaxLength = ExecutiveLimits.MaxPredicate,
                AllowExtensions = true,
                ContextLength = (uint)wordCount * 4 + 4,
            };
            VerifierResult verdict = Verifier.Verify(code, options, ProgramArguments.Workspace);
            ProgramArguments.Report(report, verdict);
            if (!verdict.IsValid) return (long)Error.ProgramRefused;
            if (!ExecutiveBudget.CanSpend) return (long)Error.NoMemory;
            ulong before = ExecutiveBudget.Begin();
            if (p == null) p = new WakeupPredicate();
            else p.Code.Free();
            p.Program = ProgramArguments.Keep(code);
            p.Code = NativeCode.Compile(p.Program);
            p.Verdict = verdict;
            p.WordCount = (int)wordCount;
            s_last[env.Index] = p;
            ExecutiveBudget.End(before);
        }
        else
        {
            ProgramArguments.Report(report, p.Verdict);
        }
        for (int i = 0; i < (int)wordCount; i++) p.Words[i] = addresses[i];
        p.StartTick = Pit.Ticks;

        long now = Evaluate(env, p);
        if (now != 0) return now;
        env.BlockedOn = p;
        env.InEpilogue = false;         // blocking gives the processor back, as a Yield does
        EnvTable.Publish(env);
        frame->Rax = 0;
        Scheduler.SaveCurrent(frame);
        Scheduler.RunNext();
        return 0;
    }

    /// <summary>For the scheduler: evaluates env's pending predicate; when it holds (or a word
    /// became unreadable) the wait ends with that result in rax. True if env may run now.</summary>
    public static bool TryWake(Environment env)
    {
        if (!(env.BlockedOn is WakeupPredicate p)) return true;
        long result = Evaluate(env, p);
        if (result == 0) return false;
        env.BlockedOn = null;
        env.Frame->Rax = (ulong)result;
        EnvTable.Publish(env);
        return true;
    }

    /// <summary>The predicate's value (0: not yet), or BadAddress when a word's page is no
    /// longer mapped readable. Reads env's memory through its page tables (any space may be active).</summary>
    private static long Evaluate(Environment env, WakeupPredicate p)
    {
        uint* context = stackalloc uint[ExecutiveLimits.MaxPredicateWords + 1];
        for (int i = 0; i < p.WordCount; i++)
        {
            ulong address = p.Words[i];
            ulong entry = env.Space.Query(address & ~(AddressSpace.PageSize - 1));
            if ((entry & (AddressSpace.Present | AddressSpace.User)) != (AddressSpace.Present | AddressSpace.User))
                return (long)Error.BadAddress;
            context[i] = *(uint*)Memory.Pointer((entry & AddressSpace.AddressMask) + (address & (AddressSpace.PageSize - 1)));
        }
        context[p.WordCount] = (uint)(Pit.Ticks - p.StartTick);
        var run = new RunContext { Context = (byte*)context, ContextLength = p.ContextLength };
        uint value = p.Code.IsValid ? p.Code.Run(null, 0, 0, &run) : Interpreter.Run(p.Program, null, 0, 0, &run);
        return value;
    }

    /// <summary>env is ending: frees its predicate's code.</summary>
    public static void Forget(Environment env)
    {
        WakeupPredicate last = s_last[env.Index];
        if (last != null) last.Code.Free();
        s_last[env.Index] = null;
        if (env.BlockedOn is WakeupPredicate) env.BlockedOn = null;
    }

    private static bool Same(Instruction[] kept, ReadOnlySpan<Instruction> program)
    {
        if (kept.Length != program.Length) return false;
        for (int i = 0; i < kept.Length; i++)
        {
            Instruction a = kept[i], b = program[i];
            if (a.Code != b.Code || a.JumpTrue != b.JumpTrue || a.JumpFalse != b.JumpFalse || a.K != b.K) return false;
        }
        return true;
    }
}
