// `segbases`: each environment keeps its own FS and GS bases (thread-local storage for
// foreign binaries: Linux's arch_prctl is wrfsbase in the library OS). The parent sets FS to a
// TLS word of its own holding a self pointer, forks (the child inherits the bases), the child sets
// its own, and the two pass a counter over IPC and yield; after every switch each checks its
// bases with rdfsbase/rdgsbase and reads its TLS word through fs:0.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Foreign
{
    internal static unsafe class SegmentBases
    {
        private static ulong s_parentTls, s_childTls;   // TLS blocks: a self pointer each (fork copies statics)
        private const ulong ParentGs = 0x1234_5000, ChildGs = 0x6789_A000;
        private const int Rounds = 20;

        [RuntimeImport("segbase_set")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Set(ulong fs, ulong gs);
        [RuntimeImport("segbase_fs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Fs();
        [RuntimeImport("segbase_gs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Gs();
        [RuntimeImport("segbase_fs_word")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong FsWord();

        public static int Main(string arguments)
        {
            ulong parentTls, childTls;
            fixed (ulong* p = &s_parentTls) parentTls = (ulong)p;
            fixed (ulong* c = &s_childTls) childTls = (ulong)c;
            *(ulong*)parentTls = parentTls;
            Set(parentTls, ParentGs);
            long child = Process.Fork();
            if (child < 0) return 1;
            bool parent = child != 0;
            string who = parent ? "parent" : "child";
            if (!parent)
            {
                bool inherited = Fs() == parentTls && Gs() == ParentGs && FsWord() == parentTls;
                System.Console.WriteLine("segbases: child inherited FS 0x" + Fs().ToString("x") + " GS 0x" + Gs().ToString("x") + (inherited ? " ok" : " WRONG"));
                *(ulong*)childTls = childTls;
                Set(childTls, ChildGs);
            }
            ulong myFs = parent ? parentTls : childTls, myGs = parent ? ParentGs : ChildGs;
            ulong peer = parent ? (ulong)child : Process.Parent;
            int good = 0;
            if (parent) Ipc.Send(peer, 0);
            for (int round = 0; round < Rounds; round++)
            {
                ulong value = Ipc.Receive(out _);
                SystemCall.Yield(0);
                if (Fs() == myFs && Gs() == myGs && FsWord() == myFs) good++;
                if (value + 1 < 2 * Rounds) Ipc.Send(peer, value + 1);
            }
            System.Console.WriteLine("segbases: " + who + " FS 0x" + Fs().ToString("x") + " GS 0x" + Gs().ToString("x") + " after " +
                Rounds.ToString() + " IPC round trips and yields: " + good.ToString() + " of " + Rounds.ToString() + " checks held" + (good == Rounds ? " ok" : " WRONG"));
            return good == Rounds ? 0 : 1;
        }
    }
}
