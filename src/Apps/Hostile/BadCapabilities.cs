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
            ulong* handles = stackalloc ulong[3];
            handles[0] = (ulong)frame; handles[1] = 0x1234_5678; handles[2] = (ulong)frame;
            Expect("map a range with a forged handle in it", SystemCall.PageMapRange(Capability.Self, Scratch, 3, handles, 0), Error.BadHandle);
            PageInfo ranged;
            SystemCall.PageQuery(Scratch, &ranged);
            Check("a refused range maps none of its pages", ranged.Flags == 0);
            handles[1] = (ulong)frame;
            Expect("map a range at an unaligned address", SystemCall.PageMapRange(Capability.Self, Scratch + 8, 3, handles, 0), Error.BadArgument);
            Expect("map a range with an unknown flag", SystemCall.PageMapRange(Capability.Self, Scratch, 3, handles, 1UL << 40), Error.BadArgument);
            Expect("map a range of 513 pages", SystemCall.PageMapRange(Capability.Self, Scratch, 513, handles, 0), Error.BadLength);
            Expect("map a range from an unmapped handle array", SystemCall.PageMapRange(Capability.Self, Scratch, 3, (ulong*)0x10, 0), Error.BadAddress);
            Expect("map a range into kernel space", SystemCall.PageMapRange(Capability.Self, 0xFFFF_8000_0000_0000, 3, handles, 0), Error.BadAddress);
            Expect("map a range that ends past user space", SystemCall.PageMapRange(Capability.Self, UserLayout.End - 4096, 3, handles, 0), Error.BadAddress);
            Expect("map a range with a forged environment handle", SystemCall.PageMapRange(0x777, Scratch, 3, handles, 0), Error.BadHandle);
            Check("map a range of three pages", SystemCall.PageMapRange(Capability.Self, Scratch, 3, handles, PageFlags.Writable) == 3);
            *(ulong*)(Scratch + 2 * 4096) = 0x5A5A;
            Check("the range's pages share the frame", *(ulong*)Scratch == 0x5A5A);
            SystemCall.PageUnmap(Capability.Self, Scratch, 3);
            ulong readOnly = (ulong)SystemCall.CapMint((ulong)frame, 0);
            handles[0] = (ulong)frame; handles[1] = readOnly; handles[2] = 0x1234_5678;
            Expect("map a range writable with a read-only frame before a forged handle",
                   SystemCall.PageMapRange(Capability.Self, Scratch, 3, handles, PageFlags.Writable), Error.NoRights);
            handles[1] = 0x1234_5678; handles[2] = readOnly;
            Expect("map a range writable with a forged handle before a read-only frame",
                   SystemCall.PageMapRange(Capability.Self, Scratch, 3, handles, PageFlags.Writable), Error.BadHandle);
            // Across a 2 MiB boundary (two leaf tables): a new mapping, then a change of flags only.
            ulong across = Scratch + 0x20_0000 - 4096;
            handles[0] = (ulong)frame; handles[1] = (ulong)frame; handles[2] = (ulong)frame;
            Check("map a range across a 2 MiB boundary", SystemCall.PageMapRange(Capability.Self, across, 3, handles, PageFlags.Writable) == 3);
            *(ulong*)(across + 2 * 4096) = 0x2B2B;
            Check("its pages on both sides share the frame", *(ulong*)across == 0x2B2B);
            Check("make that range read-only", SystemCall.PageMapRange(Capability.Self, across, 3, handles, 0) == 3);
            PageInfo acrossInfo;
            SystemCall.PageQuery(across + 4096, &acrossInfo);
            Check("the page past the boundary is read-only now", acrossInfo.Flags != 0 && (acrossInfo.Flags & PageFlags.Writable) == 0);
            SystemCall.PageUnmap(Capability.Self, across, 3);
            long loose = SystemCall.FrameAlloc();
            handles[0] = handles[1] = handles[2] = (ulong)loose;
            Check("map a fresh frame over a range", SystemCall.PageMapRange(Capability.Self, Scratch, 3, handles, PageFlags.Writable) == 3);
            SystemCall.FrameFree((ulong)loose);
            SystemCall.PageQuery(Scratch + 4096, &ranged);
            Check("freeing that frame unmaps the range's pages", ranged.Flags == 0);
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
            Expect("map with a handle of another generation", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame + (1UL << Capability.HandleIndexBits), 0), Error.BadHandle);
            Expect("map with a handle of generation 2^42", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame ^ (1UL << 62), 0), Error.BadHandle);
            Expect("map with bit 63 set", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame | (1UL << 63), 0), Error.BadHandle);
            Expect("map with a slot past the table", SystemCall.PageMap(Capability.Self, Scratch, 0xFFFF, 0), Error.BadHandle);
            Expect("map with the last slot a table can have", SystemCall.PageMap(Capability.Self, Scratch, (ulong)Capability.MaxTableSize - 1, 0), Error.BadHandle);
            Expect("map at the kernel's windows", SystemCall.PageMap(Capability.Self, UserLayout.WindowsStart, (ulong)frame, 0), Error.BadAddress);
            Expect("map at the windows' last page", SystemCall.PageMap(Capability.Self, UserLayout.WindowsEnd - 4096, (ulong)frame, 0), Error.BadAddress);
            Expect("map at an address that wraps", SystemCall.PageMap(Capability.Self, 0xFFFF_FFFF_FFFF_F000, (ulong)frame, 0), Error.BadAddress);
            Expect("map with an unknown flag", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame, 1UL << 7), Error.BadArgument);
            Expect("query into kernel memory", SystemCall.PageQuery(Scratch, (PageInfo*)0xFFFF_FFFF_8010_0000), Error.BadAddress);
            long unborn = SystemCall.EnvCreate();     // never made runnable: the child never runs this
            Check("an environment to aim at", unborn > 0);
            Expect("registers from kernel memory", SystemCall.EnvSetRegisters((ulong)unborn, (Registers*)0xFFFF_FFFF_8010_0000), Error.BadAddress);
            Registers evil = default;
            evil.Rip = 0xFFFF_FFFF_8010_0020;
            Expect("registers with a kernel rip", SystemCall.EnvSetRegisters((ulong)unborn, &evil), Error.BadAddress);
            Check("map a frame into it", SystemCall.PageMap((ulong)unborn, Scratch, (ulong)frame, PageFlags.Writable) == 1);
            ulong unbornId = (ulong)SystemCall.EnvIdOf((ulong)unborn);
            ulong endpoint = (ulong)unborn;         // its capability: Call among its rights
            IpcMessage message = default;
            Expect("call one that is not waiting", SystemCall.IpcCall(endpoint, &message), Error.NotReceiving);
            Expect("call it in registers", SystemCall.IpcCallRegisters(endpoint, 1, 2, 3, &message), Error.NotReceiving);
            Expect("call it by its global id", SystemCall.IpcCallRegisters(unbornId, 1, 2, 3, &message), Error.BadHandle);
            Expect("call through a frame capability", SystemCall.IpcCallRegisters((ulong)frame, 1, 2, 3, &message), Error.BadHandle);
            long yieldOnly = SystemCall.CapMint(endpoint, CapabilityRights.Yield);
            Check("mint a yield-only capability for it", yieldOnly > 0);
            Expect("call through a capability without Call", SystemCall.IpcCallRegisters((ulong)yieldOnly, 1, 2, 3, &message), Error.NoRights);
            Expect("call through it in memory form", SystemCall.IpcCall((ulong)yieldOnly, &message), Error.NoRights);
            Expect("destroy through a capability without Control", SystemCall.EnvDestroy((ulong)yieldOnly), Error.NoRights);
            Expect("map through a capability without Control", SystemCall.PageMap((ulong)yieldOnly, Scratch, (ulong)frame, 0), Error.NoRights);
            long callOnly = SystemCall.CapMint(endpoint, CapabilityRights.Call, 77);
            Expect("yield through a capability without Yield", SystemCall.Yield((ulong)callOnly), Error.NoRights);
            Expect("widen rights when minting", SystemCall.CapMint((ulong)yieldOnly, CapabilityRights.Call), Error.NoRights);
            Expect("change a badge when minting", SystemCall.CapMint((ulong)callOnly, CapabilityRights.Call, 78), Error.BadArgument);
            Expect("mint unknown rights", SystemCall.CapMint(endpoint, 0x80), Error.BadArgument);
            Expect("mint a writable frame from a read-only one", SystemCall.CapMint((ulong)SystemCall.CapMint((ulong)frame, 0), CapabilityRights.Write), Error.NoRights);
            long derived = SystemCall.CapMint((ulong)callOnly, CapabilityRights.Call);
            Expect("revoke what was minted from the endpoint", SystemCall.CapRevoke(endpoint), (Error)3);
            Expect("call through a revoked capability", SystemCall.IpcCallRegisters((ulong)callOnly, 1, 2, 3, &message), Error.BadHandle);
            Expect("call through a capability derived from a revoked one", SystemCall.IpcCallRegisters((ulong)derived, 1, 2, 3, &message), Error.BadHandle);
            Expect("the endpoint itself stays", SystemCall.IpcCallRegisters(endpoint, 1, 2, 3, &message), Error.NotReceiving);
            Expect("reply with no call being served", SystemCall.IpcReply((ulong)Capability.ReplySlot, &message), Error.BadHandle);
            Expect("reply through an environment capability", SystemCall.IpcReply(endpoint, &message), Error.BadHandle);
            Expect("destroy it", SystemCall.EnvDestroy((ulong)unborn), 0);
            Expect("destroy it again (stale handle)", SystemCall.EnvDestroy((ulong)unborn), Error.NoSuchEnv);
            Check("its id survives it", SystemCall.EnvIdOf((ulong)unborn) == (long)unbornId);
            Expect("call it now that it is dead", SystemCall.IpcCall(endpoint, &message), Error.NoSuchEnv);
            Expect("call myself", SystemCall.IpcCall(Capability.Self, &message), Error.BadArgument);
            // The register forms, whose common cases stubs.asm answers without C#.
            Expect("call it in registers now that it is dead", SystemCall.IpcCallRegisters(endpoint, 1, 2, 3, &message), Error.NoSuchEnv);
            Expect("call myself in registers", SystemCall.IpcCallRegisters(Capability.Self, 1, 2, 3, &message), Error.BadArgument);
            Expect("call a handle past the table in registers", SystemCall.IpcCallRegisters(0xFFFF_FFFF_FFFF_FFFF, 1, 2, 3, &message), Error.BadHandle);
            Expect("call a forged generation in registers", SystemCall.IpcCallRegisters(endpoint + (1UL << Capability.HandleIndexBits), 1, 2, 3, &message), Error.BadHandle);
            Expect("reply in registers with no call being served", SystemCall.IpcReplyRegisters((ulong)Capability.ReplySlot, 1, 2, 3, &message), Error.BadHandle);
            Expect("reply in registers through a frame capability", SystemCall.IpcReplyRegisters((ulong)frame, 1, 2, 3, &message), Error.BadHandle);
            Check("no message written on errors", message.Word0 == 0 && message.From == 0);
            Expect("yield through a forged handle", SystemCall.Yield(0x7777), Error.BadHandle);
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
            Check("the slot is used again with a new handle", again > 0 && again != frame && ((ulong)again & (Capability.MaxTableSize - 1)) == ((ulong)frame & (Capability.MaxTableSize - 1)));
            Expect("map with a stale handle", SystemCall.PageMap(Capability.Self, Scratch, (ulong)frame, 0), Error.BadHandle);
            Expect("free a stale handle", SystemCall.FrameFree((ulong)frame), Error.BadHandle);
            SystemCall.PageMap(Capability.Self, Scratch, (ulong)again, PageFlags.Writable);
            Check("a reused frame comes zeroed", *(ulong*)Scratch == 0);

            Drop(unborn);
            ReadOnlyAndForeign();
            Table();
            EveryEnvironmentCall();
            SlotCapabilities();
            Slots();
            if (s_failures != 0) return 1;
            System.Console.WriteLine("badcaps: all refused");
            return 0;
        }

        /// <summary>CapDrop on every kind of handle: a dead child's, a frame's, forged, stale, the caller's own.</summary>
        private static void Drop(long deadChild)
        {
            Expect("drop the dead child's capability", SystemCall.CapDrop((ulong)deadChild), 0);
            Expect("use the dropped child capability", SystemCall.EnvIdOf((ulong)deadChild), Error.BadHandle);
            Expect("drop it again", SystemCall.CapDrop((ulong)deadChild), Error.BadHandle);
            Expect("drop my own slot", SystemCall.CapDrop(Capability.Self), Error.BadHandle);
            Expect("drop a forged handle", SystemCall.CapDrop(0x1234_5678), Error.BadHandle);
            long live = SystemCall.EnvCreate();
            Expect("drop a live child's capability", SystemCall.CapDrop((ulong)live), 0);
            Expect("destroy it through the dropped handle", SystemCall.EnvDestroy((ulong)live), Error.BadHandle);
            long frame = SystemCall.FrameAlloc();
            SystemCall.PageMap(Capability.Self, Scratch + 0x8000, (ulong)frame, PageFlags.Writable);
            Expect("drop a mapped frame capability", SystemCall.CapDrop((ulong)frame), 0);
            PageInfo info;
            SystemCall.PageQuery(Scratch + 0x8000, &info);
            Check("dropping a frame capability unmaps it", info.Flags == 0);
            Expect("map the dropped frame", SystemCall.PageMap(Capability.Self, Scratch + 0x8000, (ulong)frame, 0), Error.BadHandle);
        }

        /// <summary>Every call that acts on an environment, through a capability of the wrong
        /// type (a frame), without the Control right (a Call-only endpoint), stale (dropped),
        /// revoked, and forged: each must be refused with the same error, and nothing happen.</summary>
        private static void EveryEnvironmentCall()
        {
            long child = SystemCall.EnvCreate();
            long frame = SystemCall.FrameAlloc();
            long callOnly = SystemCall.CapMint((ulong)child, CapabilityRights.Call);
            long dropped = SystemCall.CapMint((ulong)child, CapabilityRights.AllEnvironment);
            SystemCall.CapDrop((ulong)dropped);
            long revoked = SystemCall.CapMint((ulong)child, CapabilityRights.AllEnvironment);
            long via = SystemCall.CapMint((ulong)revoked, CapabilityRights.AllEnvironment);
            SystemCall.CapRevoke((ulong)revoked);        // via goes, revoked stays: use via
            ulong[] handles = { (ulong)frame, (ulong)callOnly, (ulong)dropped, (ulong)via, 0x7FFF_FFFF_FFF0_0123 };
            Error[] expected = { Error.BadHandle, Error.NoRights, Error.BadHandle, Error.BadHandle, Error.BadHandle };
            string[] kinds = { "a frame capability", "a Call-only capability", "a dropped capability", "a revoked capability", "a forged handle" };
            Registers r = default;
            r.Rip = Startup.ImageStart;
            byte* name = stackalloc byte[4];
            name[0] = (byte)'e'; name[1] = (byte)'v'; name[2] = (byte)'i'; name[3] = (byte)'l';
            byte* area = stackalloc byte[512];
            for (int k = 0; k < handles.Length; k++)
            {
                ulong h = handles[k];
                int wrong = 0;
                long[] results =
                {
                    SystemCall.EnvSetStatus(h, EnvStatus.Runnable),
                    SystemCall.EnvSetRegisters(h, &r),
                    SystemCall.EnvDestroy(h),
                    SystemCall.PageMap(h, Scratch, (ulong)frame, 0),
                    SystemCall.PageUnmap(h, Scratch),
                    SystemCall.SetExceptionHandler(h, Startup.ImageStart, Scratch),
                    SystemCall.SliceAlloc(h),
                    SystemCall.SetSliceHandlers(h, Startup.ImageStart, Startup.ImageStart),
                    SystemCall.Invoke(Syscall.Revoke, h, 1),
                    SystemCall.Invoke(Syscall.EnvSetName, h, (ulong)name, 4),
                    SystemCall.EnvSetExtendedState(h, area, 512),
                };
                for (int i = 0; i < results.Length; i++)
                    if (results[i] != (long)expected[k]) wrong++;
                Check("11 environment calls through " + kinds[k] + " all refused with " + ((long)expected[k]).ToString() +
                      " (" + wrong.ToString() + " otherwise)", wrong == 0);
            }
            EnvRecord row = KernelTables.Environment((ulong)SystemCall.EnvIdOf((ulong)child));
            Check("the child is untouched: not runnable, no slot", (row.Status & (EnvRecord.Runnable | EnvRecord.HasSlot)) == 0 && row.Status != 0);
            SystemCall.EnvDestroy((ulong)child);
            SystemCall.CapDrop((ulong)child);
            SystemCall.CapDrop((ulong)callOnly);
            SystemCall.CapDrop((ulong)revoked);
            SystemCall.FrameFree((ulong)frame);
        }

        /// <summary>Time slots are capabilities: the one SliceAlloc gives the environment owns the
        /// slot; dropping it gives the slot back, and the giver takes a child's slot back by
        /// revoking what it derived from its capability for the child.</summary>
        private static void SlotCapabilities()
        {
            const ulong Wanted = 1000;
            long mine = SystemCall.SliceAlloc(Capability.Self, Wanted);
            Check("slot 1000 taken: a slot capability (" + mine.ToString() + ")", mine > 0);
            Expect("slot 1000 again while held", SystemCall.SliceAlloc(Capability.Self, Wanted), Error.NoSlot);
            Expect("drop the slot capability", SystemCall.CapDrop((ulong)mine), 0);
            long again = SystemCall.SliceAlloc(Capability.Self, Wanted);
            Check("slot 1000 is free again after the drop", again > 0);
            SystemCall.CapDrop((ulong)again);
            long child = SystemCall.EnvCreate();
            ulong childId = (ulong)SystemCall.EnvIdOf((ulong)child);
            long given = SystemCall.SliceAlloc((ulong)child, Wanted);
            bool has = (KernelTables.Environment(childId).Status & EnvRecord.HasSlot) != 0;
            Check("a child given slot 1000 shows HasSlot", given > 0 && has);
            Expect("revoke what was derived from the child's capability", SystemCall.CapRevoke((ulong)child), (Error)1);
            has = (KernelTables.Environment(childId).Status & EnvRecord.HasSlot) != 0;
            Check("the child's slot is taken back", !has);
            long reuse = SystemCall.SliceAlloc(Capability.Self, Wanted);
            Check("and slot 1000 is free for another", reuse > 0);
            SystemCall.CapDrop((ulong)reuse);
            SystemCall.EnvDestroy((ulong)child);
            SystemCall.CapDrop((ulong)child);
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

        /// <summary>The table grows past its old fixed size (4096); every slot is given back.</summary>
        private static void Table()
        {
            const int Count = 5000;
            long[] handles = new long[Count];
            int count = 0;
            long result = 0;
            while (count < Count && (result = SystemCall.FrameAlloc()) > 0) handles[count++] = result;
            Check("the table grew to hold " + count.ToString() + " frames", count == Count);
            for (int i = 0; i < count; i++) SystemCall.FrameFree((ulong)handles[i]);
            Expect("a stale handle from the grown part", SystemCall.FrameFree((ulong)handles[count - 1]), Error.BadHandle);
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
