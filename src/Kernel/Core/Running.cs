// Which environment the CPU runs (Scheduler.Current), kept where C# reads it cheaply and
// where stubs.asm's IPC fast paths change it: exo_current_index holds the table index (0:
// none) and is the authority; Env is C#'s copy, brought up to date by Sync at every C# entry
// from user mode (Syscalls.Entry, Traps.Handle). No static initialisers here, so no
// static-constructor checks on these hot paths.
using System.Runtime.CompilerServices;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Running
{
    public static Environment Env;
    public static ulong* IndexCell;
    /// <summary>Env's table index (0: none), so Sync compares two words.</summary>
    private static ulong s_envIndex;

    public static void Set(Environment env)
    {
        Env = env;
        s_envIndex = env == null ? 0 : (ulong)env.Index;
        *IndexCell = s_envIndex;
    }

    /// <summary>After the fast paths may have switched environments without C#.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sync()
    {
        ulong index = *IndexCell;   // set before the IDT is loaded (KernelMain)
        if (index != s_envIndex)
        {
            Env = EnvTable.AtIndex((int)index);
            s_envIndex = index;
        }
    }
}
