// Forced revocation at scale: a child maps many frames, each behind a page table of its own
// (one per 2 MiB), and refuses to give any back. At the deadline the kernel repossesses them
// all inside the timer interrupt; each must cost its own mappings (the reverse map), not a
// scan of every page table, so the stretch with interrupts off stays short (KernelCheck
// reports it; tests/Boot/hostile-revokeflood.test runs under -icount: guest instructions).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class RevokeFlood
    {
        private const ulong Base = 0x2000_0000_0000;
        private const int Frames = 1000;
        private const ulong Bound = 200_000;       // guest instructions with interrupts off, at most

        private static void Refuse(ulong frames) { }

        private static void Child(ulong parent)
        {
            Exceptions.SetRevokeHandler(&Refuse);
            int mapped = 0;
            for (int i = 0; i < Frames; i++)
            {
                long frame = SystemCall.FrameAlloc();
                if (frame < 0) break;
                // every 2 MiB: a leaf table each (what made the old per-frame scan quadratic)
                if (SystemCall.PageMap(Capability.Self, Base + (ulong)i * 0x20_0000, (ulong)frame, PageFlags.Writable) < 0) break;
                mapped++;
            }
            Ipc.Send(Process.Parent, (ulong)mapped);
            while (true) SystemCall.Yield();        // keeps nothing back; the parent ends it
        }

        public static int Main(string arguments)
        {
            ulong me = Process.Id;
            long child = Process.Fork();
            if (child == 0) Child(me);
            ulong mapped = Ipc.Receive(out _);
            KernelCheckInfo info;
            bool measured = SystemCall.KernelCheck(&info) >= 0;       // resets the longest stretch
            long r = SystemCall.Invoke(Syscall.Revoke, (ulong)child, mapped);
            System.Console.WriteLine("revokeflood: the child mapped " + mapped.ToString() + " frames a page table each; asked for them all: " + r.ToString());
            ulong deadline = Clock.Ticks + Capability.RevokeGraceTicks + 10;      // the kernel acts at the grace's end
            while (Clock.Ticks < deadline) SystemCall.Yield();
            SystemCall.EnvDestroy((ulong)child);
            if (!measured) return 0;
            long violations = SystemCall.KernelCheck(&info);
            bool ok = info.LongestInterruptsOff <= Bound;
            System.Console.WriteLine("revokeflood: longest stretch with interrupts off " + info.LongestInterruptsOff.ToString() +
                                     " (cause 0x" + info.LongestCause.ToString("x") + "; at most " + Bound.ToString() + ": " + (ok ? "ok" : "TOO LONG") + "); self-check " + violations.ToString() + " violations");
            return ok && violations == 0 ? 0 : 1;
        }
    }
}
