// The executive's kernel side (its core, src/Executive, is plain C# also run on the host): its
// system calls (registered with Core's Subsystems at boot by
// Initialize). Its tables are made at the first such call, so a boot that never uses it pays
// nothing; everything an environment downloaded goes when it ends (Subsystems calls Forget, which
// only frees: kills happen in the timer path too). See docs/executive.md, "In the kernel".
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Executive;

internal static unsafe class KernelExecutive
{
    private static bool s_ready;

    /// <summary>Boot time: plugs the executive's system calls and its release into Core.</summary>
    public static void Initialize()
    {
        Subsystems.Register(&Forget, null, &Tick);
        Subsystems.RegisterCall(Syscall.FilterInstall, &Call);
        Subsystems.RegisterCall(Syscall.FilterRemove, &Call);
        Subsystems.RegisterCall(Syscall.FilterClassify, &Call);
        Subsystems.RegisterCall(Syscall.PredicateWait, &Call);
    }

    /// <summary>The executive's system calls.</summary>
    public static long Call(Environment env, TrapFrame* frame, Syscall call, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        EnsureReady();
        switch (call)
        {
            case Syscall.FilterInstall: return PacketFilters.Install(env, a0, a1, a2);
            case Syscall.FilterRemove: return PacketFilters.Remove(env, a0);
#if BENCH
            case Syscall.FilterClassify: return PacketFilters.ClassifyForBench(env, a0, a1, a2, a3, a4);
#else
            case Syscall.FilterClassify: return PacketFilters.Classify(env, a0, a1, a2);
#endif
            case Syscall.PredicateWait: return Predicates.Wait(env, frame, a0, a1, a2, a3, a4);
            default: return (long)Error.NoSuchCall;
        }
    }

    /// <summary>Allocates the executive's tables once, in the first executive system call.</summary>
    public static void EnsureReady()
    {
        if (s_ready) return;
        ProgramArguments.Initialize();
        PacketFilters.Initialize();
        s_ready = true;
    }

    /// <summary>Every timer tick, interrupts off: compiling left over from the calls.</summary>
    private static void Tick()
    {
        if (s_ready) PacketFilters.Tick();
    }

    public static void Forget(Environment env)
    {
        Predicates.Forget(env);
        if (!s_ready) return;
        PacketFilters.Forget(env);
    }
}
