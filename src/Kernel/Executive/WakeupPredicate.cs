// One environment's wakeup predicate: the verified program and its compiled code, the user
// addresses of the memory words it reads (4-byte aligned, so each lies in one page) and when the
// wait began. An environment keeps its last one, so waiting again on the same program compiles
// nothing (ExOS waits in loops). While it waits, it is the environment's Blocker: the scheduler
// asks it (Predicates.TryWake) at the environment's turn.
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Executive;

internal sealed class WakeupPredicate : Blocker
{
    public Instruction[] Program;
    public NativeCode Code;
    public VerifierResult Verdict;
    public readonly ulong[] Words = new ulong[ExecutiveLimits.MaxPredicateWords];
    public int WordCount;

    /// <summary>Whether it reads the ticks word: then time alone may make it true, and the
    /// scheduler idles for it rather than ending environments that nothing else can wake.</summary>
    public bool ReadsTime => Verdict.RequiredContextLength > (uint)(WordCount * 4);
    public ulong StartTick;

    /// <summary>Bytes of context: the words, then the ticks since the wait began.</summary>
    public uint ContextLength => (uint)(WordCount * 4 + 4);

    public override ulong StatusBit => EnvRecord.Predicate;
    public override bool TryWake(Environment env) => Predicates.TryWake(env);

    /// <summary>Time alone, or a frame arriving in one of its packet rings, can still make it true.</summary>
    public override bool MayWakeAlone(Environment env) => ReadsTime || Subsystems.WritesMemory(env);
    public override string Stuck => "its wakeup predicate can never hold";
}
