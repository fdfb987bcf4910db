// Which environment the CPU runs (Scheduler.Current), kept where C# reads it cheaply and
// where stubs.asm's IPC fast paths change it: exo_current_index holds the table index (0:
// none) and is the authority; Env is C#'s copy, brought up to date by Sync at every C# entry
// from user mode (Syscalls.Entry, Traps.Handle). No static initialisers here, so no
// static-constructor checks on these hot paths.
using System.Runtime.CompilerServices;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class Running
    {
        public static Environment Env;
        public static ulong* IndexCell;

        public static void Set(Environment env)
        {
            Env = env;
            *IndexCell = env == null ? 0 : (ulong)env.Index;
        }

        /// <summary>After the fast paths may have switched environments without C#.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Sync()
        {
            if (IndexCell == null) return;
            ulong index = *IndexCell;
            Environment env = Env;
            if (env == null ? index != 0 : (ulong)env.Index != index) Env = EnvTable.AtIndex((int)index);
        }
    }
}
