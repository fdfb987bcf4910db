// The exokernel calls attacked: forged, stale, wrong-type and other environments' handles;
// mappings of kernel, non-canonical, unaligned and reserved addresses; frames in use by
// someone else; a read-only frame mapped writable; a full slot vector and a full capability
// table. Each must get its error code; nothing may reach memory without a capability.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class BadCapabilities
    {
        private const ulong Scratch = 0x5000_0000;
        private static int s_failures;

        private static void Expect(string what, long result, Error expected)
        {
            bool ok = result == (long)expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("badcaps: " + what + " -> " + result.ToString() + (ok ? " ok" : " WRONG"));
        }

        private static void Check(string what, bool ok)
        {
            if (!ok) s_failures++;
            System.Console.WriteLine("badcaps: " + what + (ok ? " ok" : " WRONG"));
        }

        public static int Main(string arguments)
        {
            long frame = SystemCall.FrameAlloc();
            Check("a frame to work with", frame > 0);
            Expect("map with a forged frame handle", SystemCall.PageMap(Capability.Self, Scratch, 0x1234_5678, PageFlags.Writable), Error.BadHandle);
            Expect("map with an environment handle as a frame", SystemCall.PageMap(Capability.Self, Scratch, Capability.Self, 0), Error.BadHandle);
            Expect("destroy with a forged environment handle", SystemCall.EnvDestroy(0x777), Error.BadHandle);
            Expect("set the machine's status with a forged handle", SystemCall.MachineStatus(0x777, 0), Error.BadHandle);
            Expect("set the machine's status with a frame handle", SystemCall.MachineStatus((ulong)frame, 0), Error.BadHandle);
            Expect("set the machine's status with its own environment handle", SystemCall.MachineStatus(Capability.Self, 0), Error.BadHandle);
            Expect("destroy with a frame handle", SystemCall.EnvDestroy((ulong)frame), Error.BadHandle);
            Expect("map at a kernel address", SystemCall.PageMap(Capability.Self, 0xFFFF_8000_0000_0000, (ulong)frame, 0), Error.BadAddress);
            Expect("map at a non-canonical address", SystemCall.PageMap(Capability.Self, 0x8000_0000_0000_0000, (ulong)frame, 0), Error.BadAddress);
            Expect("map at page 0", SystemCall.PageMap(Capability.Self, 0, (ulong)frame, 0), Error.BadAddress);
            Expect("map the last page below the canonical boundary", SystemCall.PageMap(Capability.Self, 0x7FFF_FFFF_F000, (ulong)frame, 0), Error.BadAddress);
            Expect("map at an unaligned address", SystemCall.PageMap(Capability.Self, Scratch + 8, (ulong)frame, 0), Error.BadArgument);
            // Edges of the PageMapOne fast path's own checks (stubs.asm).
            Expect("map with a handle above 32 bits", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame | (1UL << 32), 0), Error.BadHandle);
            Expect("map with a slot past the table", SystemCall.PageMap(Capability.Self, Scratch, 0xFFFF, 0), Error.BadHandle);
            Expect("map at the kernel's windows", SystemCall.PageMap(Capability.Self, UserLayout.WindowsStart, (ulong)frame, 0), Error.BadAddress);
            Expect("map at the windows' last page", SystemCall.PageMap(Capability.Self, UserLayout.WindowsEnd - 4096, (ulong)frame, 0), Error.BadAddress);
            Expect("map at an address that wraps", SystemCall.PageMap(Capability.Self, 0xFFFF_FFFF_FFFF_F000, (ulong)frame, 0), Error.BadAddress);
            Expect("map with an unknown flag", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame, 1UL << 7), Error.BadArgument);
            Expect("map a batch too large", SystemCall.PageMap(Capability.Self, (PageMapEntry*)Scratch, 100000), Error.BadLength);
            Expect("map from a batch in kernel memory", SystemCall.PageMap(Capability.Self, (PageMapEntry*)0xFFFF_FFFF_8010_0000, 1), Error.BadAddress);
            Expect("query into kernel memory", SystemCall.PageQuery(Scratch, (PageInfo*)0xFFFF_FFFF_8010_0000), Error.BadAddress);
            long unborn = SystemCall.EnvCreate();     // never made runnable: the child never runs this
            Check("an environment to aim at", unborn > 0);
            Expect("registers from kernel memory", SystemCall.EnvSetRegisters((ulong)unborn, (Registers*)0xFFFF_FFFF_8010_0000), Error.BadAddress);
            Registers evil = default;
            evil.Rip = 0xFFFF_FFFF_8010_0020;
            Expect("registers with a kernel rip", SystemCall.EnvSetRegisters((ulong)unborn, &evil), Error.BadAddress);
            Check("map a frame into it", SystemCall.PageMap((ulong)unborn, Scratch, (ulong)frame, PageFlags.Writable) == 1);
            ulong unbornId = (ulong)SystemCall.EnvIdOf((ulong)unborn);
            IpcMessage message = default;
            Expect("call one that is not waiting", SystemCall.IpcCall(unbornId, &message), Error.NotReceiving);
            Expect("call it in registers", SystemCall.IpcCallRegisters(unbornId, 1, 2, 3, &message), Error.NotReceiving);
            Expect("destroy it", SystemCall.EnvDestroy((ulong)unborn), 0);
            Expect("destroy it again (stale handle)", SystemCall.EnvDestroy((ulong)unborn), Error.NoSuchEnv);
            Expect("call it now that it is dead", SystemCall.IpcCall(unbornId, &message), Error.NoSuchEnv);
            Expect("reply to it now that it is dead", SystemCall.IpcReply(unbornId, &message), Error.NoSuchEnv);
            Expect("call myself", SystemCall.IpcCall(Process.Id, &message), Error.BadArgument);
            // The register forms, whose common cases stubs.asm answers without C#.
            Expect("call it in registers now that it is dead", SystemCall.IpcCallRegisters(unbornId, 1, 2, 3, &message), Error.NoSuchEnv);
            Expect("call myself in registers", SystemCall.IpcCallRegisters(Process.Id, 1, 2, 3, &message), Error.BadArgument);
            Expect("call id 0 in registers", SystemCall.IpcCallRegisters(0, 1, 2, 3, &message), Error.NoSuchEnv);
            Expect("call an index past the table in registers", SystemCall.IpcCallRegisters(0xFFFF_FFFF_FFFF_FFFF, 1, 2, 3, &message), Error.NoSuchEnv);
            Expect("call a forged generation in registers", SystemCall.IpcCallRegisters(Process.Id + 0x1000, 1, 2, 3, &message), Error.NoSuchEnv);
            Expect("reply in registers to the dead", SystemCall.IpcReplyRegisters(unbornId, 1, 2, 3, &message), Error.NoSuchEnv);
            Expect("reply in registers to myself, not calling", SystemCall.IpcReplyRegisters(Process.Id, 1, 2, 3, &message), Error.NotCalling);
            Check("no message written on errors", message.Word0 == 0 && message.From == 0);
            Expect("yield to an environment that does not exist", SystemCall.Yield(0x7777), 0);
            Expect("status 99", SystemCall.EnvSetStatus(Capability.Self, (EnvStatus)99), Error.BadArgument);

            // A frame somebody holds (here: the page this code runs from) cannot be allocated again.
            PageInfo code;
            SystemCall.PageQuery(Startup.ImageStart, &code);
            Expect("allocate a frame in use", SystemCall.FrameAlloc(code.Frame), Error.NoMemory);
            Expect("allocate a kernel frame (1 MiB)", SystemCall.FrameAlloc(0x100), Error.NoMemory);
            Expect("allocate a frame past the end of memory", SystemCall.FrameAlloc(1UL << 40), Error.NoMemory);

            // Stale: freed handles name nothing, even when the slot is used again.
            SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame, PageFlags.Writable);
            *(ulong*)Scratch = 0x5EC2E7;
            Expect("free the frame", SystemCall.FrameFree((ulong)frame), 0);
            PageInfo after;
            SystemCall.PageQuery(Scratch, &after);
            Check("freeing a frame capability unmaps it", after.Flags == 0);
            long again = SystemCall.FrameAlloc();
            Check("the slot is used again with a new handle", again > 0 && again != frame && ((ulong)again & 0xFFFF) == ((ulong)frame & 0xFFFF));
            Expect("map with a stale handle", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame, 0), Error.BadHandle);
            Expect("free a stale handle", SystemCall.FrameFree((ulong)frame), Error.BadHandle);
            SystemCall.PageMap(Capability.Self, Scratch, (ulong)again, PageFlags.Writable);
            Check("a reused frame comes zeroed", *(ulong*)Scratch == 0);

            ReadOnlyAndForeign();
            Table();
            Slots();
            if (s_failures != 0) return 1;
            System.Console.WriteLine("badcaps: all refused");
            return 0;
        }

        private static void Slots()
        {
            int got = 0;
            while (SystemCall.SliceAlloc(Capability.Self) >= 0) got++;
            Expect("one slot more than there are", SystemCall.SliceAlloc(Capability.Self), Error.NoSlot);
            Check("took every free slot (" + got.ToString() + ")", got > Capability.SliceCount - 8);
            Expect("a slot that is taken", SystemCall.SliceAlloc(Capability.Self, 0), Error.NoSlot);
            Expect("a slot that does not exist", SystemCall.SliceAlloc(Capability.Self, (ulong)Capability.SliceCount), Error.BadArgument);
        }

        private static void Table()
        {
            long[] handles = new long[Capability.TableSize];
            int count = 0;
            long result;
            while ((result = SystemCall.FrameAlloc()) > 0) handles[count++] = result;
            // Free them before printing: the heap cannot grow while the table is full.
            for (int i = 0; i < count; i++) SystemCall.FrameFree((ulong)handles[i]);
            Expect("allocate with a full capability table", result, Error.TableFull);
            Check("the table held " + count.ToString() + " more frames", count > 3900);
        }

        private static void ReadOnlyAndForeign()
        {
            // The parent keeps a private frame the child never gets (it is not mapped at the
            // fork, so not shared); the child tries the parent's handle for it, and maps a
            // frame the parent gave it read-only as writable.
            long secret = SystemCall.FrameAlloc();
            long shared = SystemCall.FrameAlloc();
            long child = Process.Fork();
            if (child == 0)
            {
                PageInfo info = default;
                for (int i = 0; i < 100 && info.Flags == 0; i++)
                {
                    SystemCall.Yield();
                    SystemCall.PageQuery(Scratch + 0x2000, &info);
                }
                Expect("child: map a read-only frame writable", SystemCall.PageMap(Capability.Self, Scratch + 0x3000, info.FrameHandle, PageFlags.Writable), Error.NoRights);
                long r = SystemCall.PageMap(Capability.Self, Scratch + 0x4000, (ulong)secret, 0);
                bool reached = r >= 0 && *(ulong*)(Scratch + 0x4000) == 0x5EC2E7;
                Check("child: the parent's handle does not reach the parent's frame (" + r.ToString() + ")", !reached);
                SystemCall.Exit(s_failures);
            }
            SystemCall.PageMap(Capability.Self, Scratch + 0x1000, (ulong)secret, PageFlags.Writable);
            *(ulong*)(Scratch + 0x1000) = 0x5EC2E7;
            SystemCall.PageMap((ulong)child, Scratch + 0x2000, (ulong)shared, 0);
            for (int i = 0; i < 20; i++) SystemCall.Yield();
        }
    }
}
