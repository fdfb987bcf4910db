// An optional cap on the CPU time of each environment (kernel option cpulimit=SECONDS), so
// that a program that never ends cannot hold a test run forever. Counted in timer ticks
// the environment was running when they arrived. Off (0) unless the option is given.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

internal static unsafe class TimeLimit
{
    public static ulong Ticks;
    private static uint* s_used;

    public static void Configure(ulong seconds)
    {
        Ticks = seconds * X64.Pit.Hz;
        s_used = (uint*)NativeMemory.AllocZeroed(Abi.Capability.MaxEnvironments * 4);
    }

    public static void Reset(Environment env)
    {
        if (s_used != null) s_used[env.Index] = 0;
    }

    /// <summary>Called once per tick that found env running in user mode.</summary>
    public static bool Exceeded(Environment env) => Ticks != 0 && ++s_used[env.Index] > Ticks;
}
