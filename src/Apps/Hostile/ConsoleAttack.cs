// consoleattack: the console's input mechanism attacked (tests/Boot/hostile-console.test):
// ConsoleAttach with forged, wrong-type and minted handles, bad addresses (unaligned, unmapped,
// read-only, the kernel's windows, kernel memory, non-canonical, past user space); a forked
// child, which holds no console capability, refused; a copy's drop ending the attachment; then
// a flood of typed bytes into a ring nobody empties (stored up to its capacity, the rest
// counted and dropped; the longest stretch with interrupts off measured), and a Tail written
// ahead of Head, which only makes the kernel drop. Each check prints what it got.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class ConsoleAttack
    {
        private const ulong Ring = 0x5100_0000, ChildRing = 0x5101_0000, Target = 0x5102_0000, Unmapped = 0x5200_0000;
        private const uint Flood = 20000, More = 100;
        private const ulong Bound = 200000;
        private static bool s_failed;

        private static long Attach(ulong console, ulong address) => SystemCall.ConsoleAttach(console, address);

        private static void Check(string what, long got, long want)
        {
            bool ok = got == want;
            if (!ok) s_failed = true;
            System.Console.WriteLine("consoleattack: " + what + " -> " + got.ToString() + (ok ? " ok" : " WRONG (want " + want.ToString() + ")"));
        }

        private static void Check(string what, bool ok)
        {
            if (!ok) s_failed = true;
            System.Console.WriteLine("consoleattack: " + what + (ok ? " ok" : " WRONG"));
        }

        private static ushort References(ulong frame) => ((ushort*)UserLayout.FrameTable)[frame];

        public static int Main(string arguments)
        {
            ulong console = BootModules.Console;
            Check("the first environment holds a console capability", console != 0);
            Memory.AllocatePage(Ring);
            Memory.AllocatePage(Target);
            Check("attach with a forged handle", Attach(0x12345, Ring), (long)Error.BadHandle);
            Check("attach with its own environment handle", Attach(Capability.Self, Ring), (long)Error.BadHandle);
            Check("attach with the machine capability", Attach(BootModules.Machine, Ring), (long)Error.BadHandle);
            Check("attach at an unaligned address", Attach(console, Ring + 8), (long)Error.BadArgument);
            Check("attach an unmapped page", Attach(console, Unmapped), (long)Error.BadAddress);
            Check("attach a read-only page (the boot directory)", Attach(console, UserLayout.BootModules), (long)Error.BadAddress);
            Check("attach the clock window", Attach(console, UserLayout.Clock), (long)Error.BadAddress);
            Check("attach kernel memory", Attach(console, 0xFFFF_8000_0000_0000), (long)Error.BadAddress);
            Check("attach a non-canonical address", Attach(console, 0x0000_8000_0000_0000), (long)Error.BadAddress);
            Check("attach past user space", Attach(console, UserLayout.End), (long)Error.BadAddress);
            Check("detach with nothing attached", Attach(console, 0), 0);

            PageInfo info;
            SystemCall.PageQuery(Ring, &info);
            ushort before = References(info.Frame);
            Check("mint a console capability with rights", SystemCall.CapMint(console, CapabilityRights.Write), (long)Error.BadArgument);
            long copy = SystemCall.CapMint(console, 0);
            Check("mint a plain copy", copy > 0);
            Check("attach with the copy", Attach((ulong)copy, Ring), 0);
            Check("the kernel holds the ring's frame", References(info.Frame) == before + 1);
            Check("drop the copy", SystemCall.CapDrop((ulong)copy), 0);
            Check("the attachment went with the copy (frame released)", References(info.Frame) == before);
            Check("attach with the dropped copy", Attach((ulong)copy, Ring), (long)Error.BadHandle);

            long child = Process.Fork();
            if (child == 0)
            {
                Memory.AllocatePage(ChildRing);
                long r = Attach(console, ChildRing);
                System.Console.WriteLine("consoleattack: child (no console capability): attach with the parent's handle -> " + r.ToString() +
                    (r == (long)Error.BadHandle ? " ok" : " WRONG"));
                SystemCall.Exit(r == (long)Error.BadHandle ? 0 : 1);
            }
            Check("the child's status", Process.Wait((ulong)child), 0);

            var ring = (ConsoleRing*)Ring;
            Check("attach the ring", Attach(console, Ring), 0);
            WaitReceived(&ring->Received, 0, 6000);     // compiles the predicate before the measure
            KernelCheckInfo check;
            bool measured = SystemCall.KernelCheck(&check) >= 0;        // starts a new measure of the longest stretch
            System.Console.WriteLine("consoleattack: attached; flood me with " + Flood.ToString() + " bytes");
            long waited = WaitReceived(&ring->Received, Flood, 6000);
            uint head = ring->Head;
            System.Console.WriteLine("consoleattack: flood: received " + ring->Received.ToString() + ", stored " + head.ToString() +
                ", dropped " + ring->Dropped.ToString() + " (wait -> " + waited.ToString() + ")");
            Check("every byte counted", ring->Received == Flood && head + ring->Dropped == Flood);
            Check("the ring stored its capacity and no more", head == ConsoleRing.Capacity);
            byte* data = (byte*)Ring + ConsoleRing.DataOffset;
            Check("the stored bytes are the first ones typed", data[0] == (byte)'0' && data[9] == (byte)'9' && data[ConsoleRing.Capacity - 1] == (byte)'7');

            ring->Tail = head + 0x4000_0000;         // ahead of Head: the kernel must treat it as full
            uint dropped = ring->Dropped;
            System.Console.WriteLine("consoleattack: tail written ahead of head; " + More.ToString() + " more");
            waited = WaitReceived(&ring->Received, Flood + More, 6000);
            Check("a tail ahead of head: nothing stored, all dropped", ring->Head == head && ring->Dropped == dropped + More);

            ring->Tail = head;                       // emptied: the next byte lands after the last stored
            System.Console.WriteLine("consoleattack: ring emptied; one more");
            waited = WaitReceived(&ring->Received, Flood + More + 1, 6000);
            Check("the next byte stored at Head", ring->Head == head + 1 && data[head & (ConsoleRing.Capacity - 1)] == (byte)'z');
            if (measured)
            {
                long violations = SystemCall.KernelCheck(&check);
                bool ok = check.LongestInterruptsOff <= Bound;
                if (!ok || violations != 0) s_failed = true;
                System.Console.WriteLine("consoleattack: longest stretch with interrupts off " + check.LongestInterruptsOff.ToString() +
                    " (cause 0x" + check.LongestCause.ToString("x") + "; at most " + Bound.ToString() + ": " + (ok ? "ok" : "TOO LONG") +
                    "); self-check " + violations.ToString() + " violations");
            }
            PassOverIpc(console);
            System.Console.WriteLine(s_failed ? "consoleattack: FAILED" : "consoleattack: all refused, nothing blocked");
            return s_failed ? 1 : 0;
        }

        /// <summary>The capability passed to a child in an IPC message: the child attaches its own
        /// ring with it and reads a typed byte; the parent's CapRevoke then takes the child's copy
        /// back, and the child's ring with it (the kernel's reference on its frame goes).</summary>
        private static void PassOverIpc(ulong console)
        {
            long child = Process.Fork();
            if (child == 0)
            {
                IpcMessage message;
                long reply = SystemCall.IpcWait(&message);
                ulong given = message.Handle;
                SystemCall.IpcReplyRegisters((ulong)reply, 0, 0, 0);
                Memory.AllocatePage(ChildRing);
                Memory.AllocatePage(Target);
                long r = Attach(given, ChildRing);
                System.Console.WriteLine("consoleattack: child: the console came over IPC; attach -> " + r.ToString() + (r == 0 ? " ok" : " WRONG") + "; type a byte");
                var ring = (ConsoleRing*)ChildRing;
                WaitReceived(&ring->Head, 1, 6000);
                System.Console.WriteLine("consoleattack: child: read '" + ((char)((byte*)ChildRing)[ConsoleRing.DataOffset]).ToString() + "'");
                PageInfo info;
                SystemCall.PageQuery(ChildRing, &info);
                Ipc.Send(Process.Parent, info.Frame);
                while (true) SystemCall.Yield();        // the parent ends it
            }
            IpcMessage give = default;
            give.Handle = console;
            long sent;
            while ((sent = SystemCall.IpcCall((ulong)child, &give)) == (long)Error.NotReceiving)
            {
                SystemCall.Yield((ulong)child);
                give = default;
                give.Handle = console;
            }
            Check("pass the console capability in a message", sent, 0);
            ulong frame = Ipc.Receive(out _);
            ushort held = References(frame);
            Check("revoke what was derived from the console capability", SystemCall.CapRevoke(console), 1);
            Check("the child's ring went with its copy (frame released)", References(frame) == held - 1);
            SystemCall.EnvDestroy((ulong)child);
        }

        /// <summary>Blocks until the word at counter reaches count (1) or ticks pass (2). The
        /// count is a word in memory, so every wait runs the same program (compiled once).</summary>
        private static long WaitReceived(uint* counter, uint count, uint ticks)
        {
            *(uint*)Target = count;
            ulong* words = stackalloc ulong[2];
            words[0] = (ulong)counter;
            words[1] = Target;
            ProgramInstruction* p = stackalloc ProgramInstruction[9];
            p[0] = new ProgramInstruction(0xc0, 0, 0, 4);           // ld ctx[4]: the count wanted
            p[1] = new ProgramInstruction(0x07, 0, 0, 0);           // tax
            p[2] = new ProgramInstruction(0xc0, 0, 0, 0);           // ld ctx[0]: the counter
            p[3] = new ProgramInstruction(0x3d, 0, 1, 0);           // jge x
            p[4] = new ProgramInstruction(0x06, 0, 0, 1);           // ret #1
            p[5] = new ProgramInstruction(0xc0, 0, 0, 8);           // ld ctx[8]: ticks
            p[6] = new ProgramInstruction(0x35, 0, 1, ticks);       // jge #ticks
            p[7] = new ProgramInstruction(0x06, 0, 0, 2);           // ret #2
            p[8] = new ProgramInstruction(0x06, 0, 0, 0);           // ret #0: wait on
            return SystemCall.PredicateWait(p, 9, words, 2);
        }
    }
}
