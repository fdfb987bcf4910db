// The subsystems beside Core (the executive, the network, XN) plug in here at boot, so that Core
// never names them: the system calls each serves, how to release what it holds for an
// environment (called by EnvTable.Destroy, the one path by which an environment ends: exit,
// a kill, EnvDestroy, the destroy that follows a refused revocation), whether a device may
// write an environment's memory while it does not run, and work on every timer tick.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Subsystems
{
    public const int MaxCalls = 128, Max = 8;

    private static readonly delegate*<Environment, TrapFrame*, Syscall, ulong, ulong, ulong, ulong, ulong, long>[] s_calls =
        new delegate*<Environment, TrapFrame*, Syscall, ulong, ulong, ulong, ulong, ulong, long>[MaxCalls];
    private static readonly delegate*<Environment, void>[] s_release = new delegate*<Environment, void>[Max];
    private static readonly delegate*<Environment, bool>[] s_writesMemory = new delegate*<Environment, bool>[Max];
    private static readonly delegate*<void>[] s_tick = new delegate*<void>[Max];
    private static int s_count;

    /// <summary>Boot time: a subsystem's hooks (any may be null). Panics when full: a build error, not user input.</summary>
    public static void Register(delegate*<Environment, void> release, delegate*<Environment, bool> writesMemory, delegate*<void> tick)
    {
        if (s_count == Max) Panic.Halt("Subsystems: too many subsystems");
        s_release[s_count] = release;
        s_writesMemory[s_count] = writesMemory;
        s_tick[s_count] = tick;
        s_count++;
    }

    /// <summary>Boot time: call goes to handler (Syscalls.Dispatch's default case).</summary>
    public static void RegisterCall(Syscall call, delegate*<Environment, TrapFrame*, Syscall, ulong, ulong, ulong, ulong, ulong, long> handler)
    {
        if ((ulong)call >= MaxCalls || s_calls[(int)call] != null) Panic.Halt("Subsystems: system call number taken or too large");
        s_calls[(int)call] = handler;
    }

    /// <summary>Runs a subsystem's system call; NoSuchCall when none serves the number.</summary>
    public static long Call(Environment env, TrapFrame* frame, ulong number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        if (number >= MaxCalls) return (long)Error.NoSuchCall;
        var handler = s_calls[(int)number];
        return handler == null ? (long)Error.NoSuchCall : handler(env, frame, (Syscall)number, a0, a1, a2, a3, a4);
    }

    /// <summary>env is ending: every subsystem releases what it holds for it, in registration order.</summary>
    public static void ReleaseAll(Environment env)
    {
        for (int i = 0; i < s_count; i++)
            if (s_release[i] != null) s_release[i](env);
    }

    /// <summary>Whether a device may write env's memory while it does not run (a packet ring).</summary>
    public static bool WritesMemory(Environment env)
    {
        for (int i = 0; i < s_count; i++)
            if (s_writesMemory[i] != null && s_writesMemory[i](env)) return true;
        return false;
    }

    /// <summary>Every timer tick, interrupts off: must not allocate or switch environments.</summary>
    public static void Tick()
    {
        for (int i = 0; i < s_count; i++)
            if (s_tick[i] != null) s_tick[i]();
    }
}
