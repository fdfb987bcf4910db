// A capability with tens of thousands of children: dropping it moves them all up the derivation
// tree, revoking below another takes them all, ending the holder takes its whole table. Each of
// these must stay within the kernel's bound on work with interrupts off (docs/abi.md, "Bounded
// kernel work"), measured by KernelCheck under -icount (tests/Boot/hostile-capfan.test), and
// the bookkeeping self-check must hold after each.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class CapabilityFan
    {
        private const int Children = 60_000;
        private const ulong Base = 0x3800_0000_0000;
        private const int Pages = 3000;

        /// <summary>Maps frame at Pages pages from Base; how many took.</summary>
        private static int MapAll(ulong frame)
        {
            int mapped = 0;
            for (int i = 0; i < Pages; i++)
                if (SystemCall.PageMap(Capability.Self, Base + (ulong)i * 4096, frame, PageFlags.Writable) >= 0) mapped++;
            return mapped;
        }
        private const ulong Bound = 200_000;       // guest instructions with interrupts off, at most

        /// <summary>Mints copies of handle until count or the table is full; how many.</summary>
        private static int Fan(ulong handle, ulong rights, int count)
        {
            int made = 0;
            while (made < count && SystemCall.CapMint(handle, rights) > 0) made++;
            return made;
        }

        /// <summary>Prints the longest stretch since the last check and the self-check; false when
        /// either fails. Each measured operation starts with a KernelCheck (which resets the
        /// measure) and prints nothing until measured: printing queries a page, and finding a
        /// frame's capability for that still scans the table (docs/abi.md, Bounded kernel work).</summary>
        private static bool Report(string what)
        {
            KernelCheckInfo info;
            long violations = SystemCall.KernelCheck(&info);
            bool ok = info.LongestInterruptsOff <= Bound && violations == 0;
            System.Console.WriteLine("capfan: " + what + ": longest stretch with interrupts off " + info.LongestInterruptsOff.ToString() +
                                     " (cause 0x" + info.LongestCause.ToString("x") + "; at most " + Bound.ToString() + ": " +
                                     (info.LongestInterruptsOff <= Bound ? "ok" : "TOO LONG") + "); self-check " + violations.ToString() + " violations");
            return ok;
        }

        private static void Holder(ulong parent)
        {
            long frame = SystemCall.FrameAlloc();
            int made = frame > 0 ? Fan((ulong)frame, CapabilityRights.Write, Children) : 0;
            Ipc.Send(Process.Parent, (ulong)made);
            while (true) SystemCall.Yield();        // the parent ends it
        }

        public static int Main(string arguments)
        {
            KernelCheckInfo info;
            if (SystemCall.KernelCheck(&info) < 0)
            {
                System.Console.WriteLine("capfan: needs the boot option selfcheck=on");
                return 1;
            }
            bool ok = true;
            // The child first, while the table is small (forking queries every page, and finding a
            // frame's capability scans the table: docs/abi.md, Bounded kernel work).
            ulong me = Process.Id;
            long child = Process.Fork();
            if (child == 0) Holder(me);
            ulong held = Ipc.Receive(out _);
            long frame = SystemCall.FrameAlloc();
            int made = Fan((ulong)frame, CapabilityRights.Write, Children);
            SystemCall.KernelCheck(&info);                     // resets the longest stretch
            long dropped = SystemCall.CapDrop((ulong)frame);
            bool measured = Report("drop");
            System.Console.WriteLine("capfan: " + made.ToString() + " copies minted from one frame capability; dropping it: " + dropped.ToString());
            ok &= measured;

            long copy = SystemCall.CapMint(Capability.Self, 0);          // an environment capability to fan out
            SystemCall.KernelCheck(&info);
            made = Fan((ulong)copy, 0, Children / 2);
            ok &= Report("mint");
            SystemCall.KernelCheck(&info);
            long revoked = 0, calls = 0, r;
            while ((r = SystemCall.CapRevoke((ulong)copy)) > 0)
            {
                revoked += r;
                calls++;
            }
            measured = Report("revoke");
            System.Console.WriteLine("capfan: " + made.ToString() + " copies minted from an environment capability; revoking below it took " +
                                     revoked.ToString() + " in " + calls.ToString() + " calls (at most " + Capability.RevokePerCall.ToString() + " a call)");
            ok &= measured;

            // One frame mapped at 3000 pages: FrameFree takes it in calls of at most UnmapPerCall
            // mappings (returning 1 until the last); PageUnmap over a range of a million pages
            // returns how far each call got.
            long mine = SystemCall.FrameAlloc();
            int mapped = MapAll((ulong)mine);
            SystemCall.KernelCheck(&info);
            int freeCalls = 1;
            while (SystemCall.Invoke(Syscall.FrameFree, (ulong)mine) == 1) freeCalls++;
            measured = Report("framefree");
            System.Console.WriteLine("capfan: a frame mapped at " + mapped.ToString() + " pages freed in " + freeCalls.ToString() + " calls (at most " +
                                     Capability.UnmapPerCall.ToString() + " mappings a call)");
            ok &= measured;
            mine = SystemCall.FrameAlloc();
            mapped = MapAll((ulong)mine);
            SystemCall.KernelCheck(&info);
            ulong at = Base, left = 1UL << 20;
            int unmapCalls = 1;
            long r2;
            while ((r2 = SystemCall.Invoke(Syscall.PageUnmap, Capability.Self, at, left)) > 0)
            {
                at += (ulong)r2 * 4096;
                left -= (ulong)r2;
                unmapCalls++;
            }
            measured = Report("unmap");
            PageInfo page;
            SystemCall.PageQuery(Base + 4096 * (Pages - 1), &page);
            System.Console.WriteLine("capfan: " + mapped.ToString() + " pages unmapped from a range of 1048576 in " + unmapCalls.ToString() +
                                     " calls (last result " + r2.ToString() + "); the last page maps " + (page.Flags == 0 ? "nothing" : "STILL"));
            ok &= measured && r2 == 0 && page.Flags == 0;

            SystemCall.KernelCheck(&info);
            SystemCall.EnvDestroy((ulong)child);
            ulong start = Clock.Ticks;
            while (Clock.Ticks - start < 100) SystemCall.Yield();   // its table goes back over the ticks
            measured = Report("destroy");
            System.Console.WriteLine("capfan: a child holding " + held.ToString() + " copies of a frame capability destroyed");
            ok &= measured;
            return ok ? 0 : 1;
        }
    }
}
