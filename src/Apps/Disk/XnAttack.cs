// Hostile use of XN (tests/Boot/xn-hostile.test): bad arguments; root handles that are forged,
// dropped, revoked, of another kind (a frame), read-only (minted without Write) or of another
// root (one with the same key too); UDFs that lie (a constant pointer, a loop, one that hides the
// pointer an allocation claims); a metadata write carrying a forged pointer; bad runs for
// XnFetchRun and a run stopping where the owner's blocks end; and a forked environment without
// the file system's root capability trying to read, write, free and claim its blocks, then given
// a read-only one over IPC. Each gets its error; the kernel never panics and nothing changes.
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class XnAttack
    {
        private static int s_failures;
        private static ulong s_root;        // the XnRoot capability Change names

        private static void Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("xnattack: " + what + " -> " + ExecutiveText.Result(result) + (ok ? " ok" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        private static long Change(Syscall call, ulong block, ulong offset, uint word, ulong first = 0, ulong count = 0, ulong type = 0)
        {
            var change = new XnChange { Block = block, Offset = offset, Bytes = (ulong)&word, Length = 4, First = first, Count = count, Type = type, Root = s_root };
            return SystemCall.Invoke(call, (ulong)&change);
        }

        private static long Template(ProgramInstruction[] program)
        {
            fixed (ProgramInstruction* p = program) return SystemCall.XnTemplate(p, program.Length);
        }

        private static long Root(string name, ulong key, ulong block, ulong type)
        {
            byte* text = stackalloc byte[16];
            for (int i = 0; i < name.Length; i++) text[i] = (byte)name[i];
            return SystemCall.XnRootCreate(text, name.Length, key, block, type);
        }

        public static int Main(string arguments)
        {
            FileSystem fs = FileSystem.Open("exos", Files.Key, out long error, out _);
            if (fs == null) { System.Console.WriteLine("xnattack: open: " + ExecutiveText.Result(error)); return 1; }
            ulong root = fs.RootHandle;
            s_root = root;
            byte* secret = stackalloc byte[100];
            for (int i = 0; i < 100; i++) secret[i] = (byte)('A' + i % 26);
            Expect("create secret.txt", fs.Create("secret.txt", secret, 100), 0);
            ulong inode = fs.InodeOf("secret.txt");
            uint data;
            SystemCall.XnRead(root, inode, FileSystem.PointerOffset, (byte*)&data, 4);
            Handles(fs, root, inode, data);

            Expect("change from kernel memory", SystemCall.XnAlloc((XnChange*)0xFFFF_8000_0000_0000), (long)Error.BadAddress);
            var big = new XnChange { Block = fs.Directory, Offset = 0, Bytes = (ulong)secret, Length = 5000, Root = root };
            Expect("change of 5000 bytes", SystemCall.XnWrite(&big), (long)Error.BadLength);
            Expect("fetch block 2^40", SystemCall.XnFetch(root, 1UL << 40), (long)Error.NoSuchBlock);
            Expect("fetch XN's superblock", SystemCall.XnFetch(root, 0), (long)Error.NoSuchBlock);
            Expect("read into kernel memory", SystemCall.XnRead(root, fs.Directory, 0, (byte*)0xFFFF_8000_0000_0000, 16), (long)Error.BadAddress);
            Expect("root with key 0", Root("zero", 0, fs.AnyFreeBlock(), fs.InodeType), (long)Error.BadArgument);
            byte* name = stackalloc byte[4];
            name[0] = (byte)'e'; name[1] = (byte)'x'; name[2] = (byte)'o'; name[3] = (byte)'s';
            Expect("open 'exos' with the wrong key", SystemCall.XnRootOpen(name, 4, Files.Key + 1), (long)Error.NotOwner);
            Expect("open 'exos' with the key's low 32 bits only", SystemCall.XnRootOpen(name, 4, Files.Key & 0xFFFF_FFFF), (long)Error.NotOwner);
            Expect("fetch a free block", SystemCall.XnFetch(root, fs.AnyFreeBlock()), (long)Error.Uninitialised);

            // UDFs that lie.
            Expect("template naming a block in every block (constant pointer)", Template(new[]
            {
                new ProgramInstruction(0x01, 0, 0, 1),      // ldx #1
                new ProgramInstruction(0x00, 0, 0, 40),     // ld #40
                new ProgramInstruction(0x57, 0, 0, 0),      // emit 0
                new ProgramInstruction(0x06, 0, 0, 0),
            }), (long)Error.UdfLied);
            Expect("template with a backward jump", Template(new[]
            {
                new ProgramInstruction(0x05, 0, 0, 0xFFFFFFFF),     // ja -1
                new ProgramInstruction(0x06, 0, 0, 0),
            }), (long)Error.ProgramRefused);
            long liar = Template(new[] { new ProgramInstruction(0x06, 0, 0, 0) });   // owns nothing, ever
            SystemCall.XnSync(0);
            ulong liarRoot = fs.AnyFreeBlock();
            long liarHandle = Root("liar", 0x11A2, liarRoot, (ulong)liar);
            Expect("a root of a type whose UDF hides every pointer", liarHandle > 0 ? 0 : liarHandle, 0);
            ulong hidden = fs.AnyFreeBlock();
            s_root = (ulong)liarHandle;
            Expect("allocate under it (the UDF hides the pointer)", Change(Syscall.XnAlloc, liarRoot, 0, (uint)hidden, hidden, 1, 0), (long)Error.LostPointer);
            Expect("allocate under the exos directory through the liar root's capability", Change(Syscall.XnAlloc, fs.Directory, 8 * 64 + 52, (uint)hidden, hidden, 1, fs.InodeType), (long)Error.NotOwner);
            Expect("read the exos directory through the liar root's capability", SystemCall.XnRead((ulong)liarHandle, fs.Directory, 0, secret, 16), (long)Error.NotOwner);
            s_root = root;
            ulong twinRoot = fs.AnyFreeBlock();
            long twin = Root("twin", Files.Key, twinRoot, fs.InodeType);
            Expect("a root with the same key as exos", twin > 0 ? 0 : twin, 0);
            Expect("read secret.txt's inode through the twin's capability", SystemCall.XnRead((ulong)twin, inode, 0, secret, 16), (long)Error.NotOwner);
            Expect("map secret.txt's data block through the twin's capability", SystemCall.XnMap((ulong)twin, data, 0x7400_0000), (long)Error.NotOwner);
            Expect("read the twin's block through exos's capability", SystemCall.XnRead(root, twinRoot, 0, secret + 50, 16), (long)Error.NotOwner);

            // A forged pointer in a metadata write.
            Expect("write a directory entry pointing at a free block", Change(Syscall.XnWrite, fs.Directory, 7 * 64 + 52, (uint)fs.AnyFreeBlock()), (long)Error.ForgedPointer);
            Expect("write a directory entry pointing at secret.txt's inode (named twice)", Change(Syscall.XnWrite, fs.Directory, 7 * 64 + 52, (uint)inode), (long)Error.BlockInUse);
            Expect("write secret.txt's size (no pointer changes)", Change(Syscall.XnWrite, inode, 0, 100), 0);

            // A mapped cache page goes away with its block.
            fs.Create("doomed.txt", secret, 100);
            ulong doomed = fs.DataBlock("doomed.txt", 0);
            Expect("map doomed.txt's block", SystemCall.XnMap(root, doomed, 0x7100_0000), 0);
            Expect("map it again at the same address", SystemCall.XnMap(root, doomed, 0x7100_0000), (long)Error.BadArgument);
            Expect("map it at a kernel address", SystemCall.XnMap(root, doomed, 0xFFFF_8000_0000_0000), (long)Error.BadAddress);
            Expect("map a free block", SystemCall.XnMap(root, fs.AnyFreeBlock(), 0x7200_0000), (long)Error.Uninitialised);
            fs.Delete("doomed.txt");
            PageInfo gone;
            SystemCall.PageQuery(0x7100_0000, &gone);
            Expect("after deleting doomed.txt its page is no longer mapped", gone.Flags == 0 ? 0 : -1, 0);

            // A run fetched in one call: the run's arguments checked, then each block as XnFetch checks one.
            Expect("fetch a run of 0 blocks", SystemCall.XnFetchRun(root, data, 0), (long)Error.BadLength);
            Expect("fetch a run of 33 blocks", SystemCall.XnFetchRun(root, data, 33), (long)Error.BadLength);
            Expect("fetch a run from block 2^40", SystemCall.XnFetchRun(root, 1UL << 40, 2), (long)Error.NoSuchBlock);
            Expect("fetch a run past the disk's end", SystemCall.XnFetchRun(root, 4095, 2), (long)Error.NoSuchBlock);
            Expect("fetch a run from XN's superblock", SystemCall.XnFetchRun(root, 0, 4), (long)Error.NoSuchBlock);
            Expect("fetch a run from a free block", SystemCall.XnFetchRun(root, fs.AnyFreeBlock(), 4), (long)Error.Uninitialised);
            const int RunBlocks = 4;
            byte* pattern = stackalloc byte[RunBlocks * 4096];
            for (int i = 0; i < RunBlocks * 4096; i++) pattern[i] = (byte)(i / 4096 * 31 + i);
            Expect("create run.bin (4 blocks)", fs.Create("run.bin", pattern, RunBlocks * 4096), 0);
            ulong start = fs.DataBlock("run.bin", 0);
            Expect("sync before evicting", SystemCall.XnSync(root), 0);
            long evicted = 0;
            for (int k = 0; k < RunBlocks; k++) if (SystemCall.XnEvict(root, fs.DataBlock("run.bin", k)) == 0) evicted++;
            Expect("evict run.bin's blocks", evicted - RunBlocks, 0);
            // The run stops at the first block that is not an allocated, written block of this owner
            // (what the registry window shows), and every block before it is in core afterwards.
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            uint readable = 0;
            while (readable < 32 && registry[start + readable].State == BlockRecord.Allocated && registry[start + readable].Root == registry[start].Root &&
                   (registry[start + readable].Flags & (BlockRecord.OnDisk | BlockRecord.InCore)) != 0) readable++;
            System.Console.WriteLine("xnattack: blocks readable from run.bin's first block on: " + readable.ToString());
            Expect("fetch a run of 32 from run.bin's first block: as many as are readable", SystemCall.XnFetchRun(root, start, 32) - (long)readable, 0);
            bool inCore = readable >= 1;
            for (uint b = 0; b < readable; b++) inCore &= (registry[start + b].Flags & (BlockRecord.InCore | BlockRecord.Reading)) == BlockRecord.InCore;
            Expect("every block of the run in core", inCore ? 0 : -1, 0);
            byte* copy = stackalloc byte[4096];
            long wrong = 0;
            for (int k = 0; k < RunBlocks; k++)
            {
                ulong b = fs.DataBlock("run.bin", k);
                if ((registry[b].Flags & BlockRecord.InCore) == 0 || SystemCall.XnRead(root, b, 0, copy, 4096) != 0) { wrong++; continue; }
                for (int i = 0; i < 4096; i++) if (copy[i] != pattern[k * 4096 + i]) { wrong++; break; }
            }
            Expect("run.bin's blocks in core with their bytes, none fetched again", wrong, 0);

            long readOnly = SystemCall.CapMint(root, 0);
            long child = Process.Fork();
            if (child == 0) return Stranger(fs, inode, data);
            // The stranger waits for a read-only copy of the root's capability (over IPC) after its attacks.
            long passed;
            IpcMessage give;
            do
            {
                give = new IpcMessage { Handle = (ulong)readOnly };
                passed = SystemCall.IpcCall((ulong)child, &give);
                if (passed == (long)Error.NotReceiving) SystemCall.Yield();
            } while (passed == (long)Error.NotReceiving);
            Expect("pass the stranger a read-only root capability over IPC", passed, 0);
            ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
            while (KernelTables.Environment(id).Status != EnvRecord.Ended) SystemCall.Yield();
            if (KernelTables.Environment(id).ExitStatus != 0) s_failures++;
            byte* back = stackalloc byte[100];
            bool intact = fs.Read("secret.txt", back, 100) == 100;
            for (int i = 0; i < 100 && intact; i++) intact = back[i] == secret[i];
            Expect("secret.txt after the attacks", intact ? 0 : -1, 0);
            Expect("sync", SystemCall.XnSync(root), 0);
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>Root handles that are not the file system's capability with the right needed.</summary>
        private static void Handles(FileSystem fs, ulong root, ulong inode, uint data)
        {
            byte* buffer = stackalloc byte[16];
            Expect("read with the file system's root capability", SystemCall.XnRead(root, inode, 0, buffer, 4), 0);
            Expect("read with a forged handle", SystemCall.XnRead(0x5EC2E7_0000_0003, inode, 0, buffer, 4), (long)Error.BadHandle);
            Expect("fetch with handle 0 (the caller itself)", SystemCall.XnFetch(0, inode), (long)Error.BadHandle);
            long frame = SystemCall.FrameAlloc();
            Expect("fetch with a frame capability's handle", SystemCall.XnFetch((ulong)frame, inode), (long)Error.BadHandle);
            s_root = (ulong)frame;
            Expect("write with a frame capability's handle", Change(Syscall.XnWrite, data, 0, 0x656E6F47), (long)Error.BadHandle);
            SystemCall.FrameFree((ulong)frame);
            long copy = SystemCall.CapMint(root, CapabilityRights.Write);
            long grandchild = SystemCall.CapMint((ulong)copy, CapabilityRights.Write);
            Expect("read through a minted copy's copy", SystemCall.XnRead((ulong)grandchild, inode, 0, buffer, 4), 0);
            Expect("revoke what was minted from the copy", SystemCall.CapRevoke((ulong)copy), 1);
            Expect("read with the revoked handle", SystemCall.XnRead((ulong)grandchild, inode, 0, buffer, 4), (long)Error.BadHandle);
            Expect("read through the copy, which stays", SystemCall.XnRead((ulong)copy, inode, 0, buffer, 4), 0);
            Expect("drop the copy", SystemCall.CapDrop((ulong)copy), 0);
            Expect("read with the dropped handle", SystemCall.XnRead((ulong)copy, inode, 0, buffer, 4), (long)Error.BadHandle);
            Expect("sync with the dropped handle", SystemCall.XnSync((ulong)copy), (long)Error.BadHandle);
            s_root = (ulong)copy;
            Expect("write with the dropped handle", Change(Syscall.XnWrite, data, 0, 0x656E6F47), (long)Error.BadHandle);
            Expect("mint a root capability with the Control right", SystemCall.CapMint(root, CapabilityRights.Control), (long)Error.BadArgument);
            Expect("mint a root capability with a badge", SystemCall.CapMint(root, 0, 7), (long)Error.BadArgument);
            long readOnly = SystemCall.CapMint(root, 0);
            Expect("mint a read-only root capability", readOnly > 0 ? 0 : readOnly, 0);
            Expect("mint Write back from the read-only one", SystemCall.CapMint((ulong)readOnly, CapabilityRights.Write), (long)Error.NoRights);
            Expect("read-only: read secret.txt's inode", SystemCall.XnRead((ulong)readOnly, inode, 0, buffer, 4), 0);
            Expect("read-only: fetch secret.txt's data block", SystemCall.XnFetch((ulong)readOnly, data), 0);
            Expect("read-only: map secret.txt's data block", SystemCall.XnMap((ulong)readOnly, data, 0x7500_0000), 0);
            Expect("read-only: the mapped page holds secret.txt", *(byte*)0x7500_0000 == (byte)'A' && *(byte*)0x7500_0063 == (byte)('A' + 99 % 26) ? 0 : -1, 0);
            Expect("read-only: sync its root", SystemCall.XnSync((ulong)readOnly), 0);
            SystemCall.PageUnmap(0, 0x7500_0000);
            s_root = (ulong)readOnly;
            Expect("read-only: write secret.txt's data block", Change(Syscall.XnWrite, data, 0, 0x656E6F47), (long)Error.NoRights);
            Expect("read-only: allocate under the directory", Change(Syscall.XnAlloc, fs.Directory, 8 * 64 + 52, (uint)fs.AnyFreeBlock(), fs.AnyFreeBlock(), 1, fs.InodeType), (long)Error.NoRights);
            Expect("read-only: free secret.txt's data block", Change(Syscall.XnFree, inode, FileSystem.PointerOffset, 0, data, 1), (long)Error.NoRights);
            var from = new XnChange { Block = inode, Offset = FileSystem.PointerOffset, Bytes = (ulong)buffer, Length = 4, Root = (ulong)readOnly };
            Expect("read-only: move a pointer", SystemCall.XnMove(&from, &from), (long)Error.NoRights);
            SystemCall.CapDrop((ulong)readOnly);
            s_root = root;
        }

        /// <summary>A forked environment without the file system's root capability: the parent's
        /// handle names nothing in its table, and its own root's capability reaches none of the
        /// file system's blocks; then it waits for a read-only capability over IPC.</summary>
        private static int Stranger(FileSystem fs, ulong inode, uint data)
        {
            EnvironmentName.Set("stranger");
            byte* buffer = stackalloc byte[16];
            Expect("stranger: fetch the directory with the parent's handle", SystemCall.XnFetch(fs.RootHandle, fs.Directory), (long)Error.BadHandle);
            Expect("stranger: read secret.txt's data block with the parent's handle", SystemCall.XnRead(fs.RootHandle, data, 0, buffer, 16), (long)Error.BadHandle);
            ulong mine = fs.AnyFreeBlock();
            long own = Root("mine", 0xBEEF, mine, fs.InodeType);
            Expect("stranger: a root of its own", own > 0 ? 0 : own, 0);
            s_root = (ulong)own;
            Expect("stranger: fetch the directory through its own root's capability", SystemCall.XnFetch((ulong)own, fs.Directory), (long)Error.NotOwner);
            Expect("stranger: read secret.txt's data block", SystemCall.XnRead((ulong)own, data, 0, buffer, 16), (long)Error.NotOwner);
            Expect("stranger: write it", Change(Syscall.XnWrite, data, 0, 0x656E6F47), (long)Error.NotOwner);
            Expect("stranger: free it from the inode", Change(Syscall.XnFree, inode, FileSystem.PointerOffset, 0, data, 1), (long)Error.NotOwner);
            Expect("stranger: allocate under the directory", Change(Syscall.XnAlloc, fs.Directory, 8 * 64 + 52, (uint)fs.AnyFreeBlock(), fs.AnyFreeBlock(), 1, fs.InodeType), (long)Error.NotOwner);
            Expect("stranger: map secret.txt's data block", SystemCall.XnMap((ulong)own, data, 0x7300_0000), (long)Error.NotOwner);
            Expect("stranger: fetch a run from the directory", SystemCall.XnFetchRun((ulong)own, fs.Directory, 4), (long)Error.NotOwner);
            Expect("stranger: claim secret.txt's data block in it", Change(Syscall.XnAlloc, mine, FileSystem.PointerOffset, data, data, 1, 0), (long)Error.BlockInUse);
            Expect("stranger: point at it with a plain write", Change(Syscall.XnWrite, mine, FileSystem.PointerOffset, data), (long)Error.ForgedPointer);
            var given = new IpcMessage();
            long reply = SystemCall.IpcWait(&given);
            Expect("stranger: a root capability arrives over IPC", reply > 0 && given.Handle != 0 ? 0 : reply, 0);
            Expect("stranger: read secret.txt's data block through it", SystemCall.XnFetch(given.Handle, data) == 0 ? SystemCall.XnRead(given.Handle, data, 0, buffer, 16) : -1, 0);
            Expect("stranger: the bytes are secret.txt's", buffer[0] == (byte)'A' && buffer[15] == (byte)'P' ? 0 : -1, 0);
            s_root = given.Handle;
            Expect("stranger: write it through the read-only capability", Change(Syscall.XnWrite, data, 0, 0x656E6F47), (long)Error.NoRights);
            var answer = new IpcMessage();
            SystemCall.IpcReply((ulong)reply, &answer);
            return s_failures == 0 ? 0 : 1;
        }
    }
}
