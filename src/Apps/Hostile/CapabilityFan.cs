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
