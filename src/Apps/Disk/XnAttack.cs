// Hostile use of XN (tests/Boot/xn-hostile.test): bad arguments; UDFs that lie (a constant
// pointer, a loop, one that hides the pointer an allocation claims); a metadata write carrying a
// forged pointer; bad runs for XnFetchRun and a run stopping where the owner's blocks end; and a
// forked environment without the file system's key trying to read, write, free and claim its
// blocks. Each gets its error; the kernel never panics and nothing changes.
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class XnAttack
    {
        private static int s_failures;

        private static void Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("xnattack: " + what + " -> " + ExecutiveText.Result(result) + (ok ? " ok" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        private static long Change(Syscall call, ulong block, ulong offset, uint word, ulong first = 0, ulong count = 0, ulong type = 0)
        {
            var change = new XnChange { Block = block, Offset = offset, Bytes = (ulong)&word, Length = 4, First = first, Count = count, Type = type };
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
            byte* secret = stackalloc byte[100];
            for (int i = 0; i < 100; i++) secret[i] = (byte)('A' + i % 26);
            Expect("create secret.txt", fs.Create("secret.txt", secret, 100), 0);
            ulong inode = fs.InodeOf("secret.txt");
            uint data;
            SystemCall.XnRead(inode, FileSystem.PointerOffset, (byte*)&data, 4);

            Expect("change from kernel memory", SystemCall.XnAlloc((XnChange*)0xFFFF_8000_0000_0000), (long)Error.BadAddress);
            var big = new XnChange { Block = fs.Directory, Offset = 0, Bytes = (ulong)secret, Length = 5000 };
            Expect("change of 5000 bytes", SystemCall.XnWrite(&big), (long)Error.BadLength);
            Expect("fetch block 2^40", SystemCall.XnFetch(1UL << 40), (long)Error.NoSuchBlock);
            Expect("fetch XN's superblock", SystemCall.XnFetch(0), (long)Error.NoSuchBlock);
            Expect("read into kernel memory", SystemCall.XnRead(fs.Directory, 0, (byte*)0xFFFF_8000_0000_0000, 16), (long)Error.BadAddress);
            Expect("root with key 0", Root("zero", 0, fs.AnyFreeBlock(), fs.InodeType), (long)Error.BadArgument);
            byte* name = stackalloc byte[4];
            name[0] = (byte)'e'; name[1] = (byte)'x'; name[2] = (byte)'o'; name[3] = (byte)'s';
            Expect("open 'exos' with the wrong key", SystemCall.XnRootOpen(name, 4, Files.Key + 1), (long)Error.NotOwner);
            Expect("open 'exos' with the key's low 32 bits only", SystemCall.XnRootOpen(name, 4, Files.Key & 0xFFFF_FFFF), (long)Error.NotOwner);
            Expect("fetch a free block", SystemCall.XnFetch(fs.AnyFreeBlock()), (long)Error.Uninitialised);

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
            SystemCall.XnSync();
            ulong liarRoot = fs.AnyFreeBlock();
            Expect("a root of a type whose UDF hides every pointer", Root("liar", 0x11A2, liarRoot, (ulong)liar) >= 0 ? 0 : -1, 0);
            ulong hidden = fs.AnyFreeBlock();
            Expect("allocate under it (the UDF hides the pointer)", Change(Syscall.XnAlloc, liarRoot, 0, (uint)hidden, hidden, 1, 0), (long)Error.LostPointer);

            // A forged pointer in a metadata write.
            Expect("write a directory entry pointing at a free block", Change(Syscall.XnWrite, fs.Directory, 7 * 64 + 52, (uint)fs.AnyFreeBlock()), (long)Error.ForgedPointer);
            Expect("write a directory entry pointing at secret.txt's inode (named twice)", Change(Syscall.XnWrite, fs.Directory, 7 * 64 + 52, (uint)inode), (long)Error.BlockInUse);
            Expect("write secret.txt's size (no pointer changes)", Change(Syscall.XnWrite, inode, 0, 100), 0);

            // A mapped cache page goes away with its block.
            fs.Create("doomed.txt", secret, 100);
            ulong doomed = fs.DataBlock("doomed.txt", 0);
            Expect("map doomed.txt's block", SystemCall.XnMap(doomed, 0x7100_0000), 0);
            Expect("map it again at the same address", SystemCall.XnMap(doomed, 0x7100_0000), (long)Error.BadArgument);
            Expect("map it at a kernel address", SystemCall.XnMap(doomed, 0xFFFF_8000_0000_0000), (long)Error.BadAddress);
            Expect("map a free block", SystemCall.XnMap(fs.AnyFreeBlock(), 0x7200_0000), (long)Error.Uninitialised);
            fs.Delete("doomed.txt");
            PageInfo gone;
            SystemCall.PageQuery(0x7100_0000, &gone);
            Expect("after deleting doomed.txt its page is no longer mapped", gone.Flags == 0 ? 0 : -1, 0);

            // A run fetched in one call: the run's arguments checked, then each block as XnFetch checks one.
            Expect("fetch a run of 0 blocks", SystemCall.XnFetchRun(data, 0), (long)Error.BadLength);
            Expect("fetch a run of 33 blocks", SystemCall.XnFetchRun(data, 33), (long)Error.BadLength);
            Expect("fetch a run from block 2^40", SystemCall.XnFetchRun(1UL << 40, 2), (long)Error.NoSuchBlock);
            Expect("fetch a run past the disk's end", SystemCall.XnFetchRun(4095, 2), (long)Error.NoSuchBlock);
            Expect("fetch a run from XN's superblock", SystemCall.XnFetchRun(0, 4), (long)Error.NoSuchBlock);
            Expect("fetch a run from a free block", SystemCall.XnFetchRun(fs.AnyFreeBlock(), 4), (long)Error.Uninitialised);
            const int RunBlocks = 4;
            byte* pattern = stackalloc byte[RunBlocks * 4096];
            for (int i = 0; i < RunBlocks * 4096; i++) pattern[i] = (byte)(i / 4096 * 31 + i);
            Expect("create run.bin (4 blocks)", fs.Create("run.bin", pattern, RunBlocks * 4096), 0);
            ulong start = fs.DataBlock("run.bin", 0);
            Expect("sync before evicting", SystemCall.XnSync(), 0);
            long evicted = 0;
            for (int k = 0; k < RunBlocks; k++) if (SystemCall.XnEvict(fs.DataBlock("run.bin", k)) == 0) evicted++;
            Expect("evict run.bin's blocks", evicted - RunBlocks, 0);
            // The run stops at the first block that is not an allocated, written block of this owner
            // (what the registry window shows), and every block before it is in core afterwards.
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            uint readable = 0;
            while (readable < 32 && registry[start + readable].State == BlockRecord.Allocated && registry[start + readable].Root == registry[start].Root &&
                   (registry[start + readable].Flags & (BlockRecord.OnDisk | BlockRecord.InCore)) != 0) readable++;
            System.Console.WriteLine("xnattack: blocks readable from run.bin's first block on: " + readable.ToString());
            Expect("fetch a run of 32 from run.bin's first block: as many as are readable", SystemCall.XnFetchRun(start, 32) - (long)readable, 0);
            bool inCore = readable >= 1;
            for (uint b = 0; b < readable; b++) inCore &= (registry[start + b].Flags & (BlockRecord.InCore | BlockRecord.Reading)) == BlockRecord.InCore;
            Expect("every block of the run in core", inCore ? 0 : -1, 0);
            byte* copy = stackalloc byte[4096];
            long wrong = 0;
            for (int k = 0; k < RunBlocks; k++)
            {
                ulong b = fs.DataBlock("run.bin", k);
                if ((registry[b].Flags & BlockRecord.InCore) == 0 || SystemCall.XnRead(b, 0, copy, 4096) != 0) { wrong++; continue; }
                for (int i = 0; i < 4096; i++) if (copy[i] != pattern[k * 4096 + i]) { wrong++; break; }
            }
            Expect("run.bin's blocks in core with their bytes, none fetched again", wrong, 0);

            long child = Process.Fork();
            if (child == 0) return Stranger(fs, inode, data);
            ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
            while (KernelTables.Environment(id).Status != EnvRecord.Ended) SystemCall.Yield();
            if (KernelTables.Environment(id).ExitStatus != 0) s_failures++;
            byte* back = stackalloc byte[100];
            bool intact = fs.Read("secret.txt", back, 100) == 100;
            for (int i = 0; i < 100 && intact; i++) intact = back[i] == secret[i];
            Expect("secret.txt after the attacks", intact ? 0 : -1, 0);
            Expect("sync", SystemCall.XnSync(), 0);
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>A forked environment without the key: nothing of the file system is its.</summary>
        private static int Stranger(FileSystem fs, ulong inode, uint data)
        {
            EnvironmentName.Set("stranger");
            byte* buffer = stackalloc byte[16];
            Expect("stranger: fetch the directory", SystemCall.XnFetch(fs.Directory), (long)Error.NotOwner);
            Expect("stranger: read secret.txt's data block", SystemCall.XnRead(data, 0, buffer, 16), (long)Error.NotOwner);
            Expect("stranger: write it", Change(Syscall.XnWrite, data, 0, 0x656E6F47), (long)Error.NotOwner);
            Expect("stranger: free it from the inode", Change(Syscall.XnFree, inode, FileSystem.PointerOffset, 0, data, 1), (long)Error.NotOwner);
            Expect("stranger: allocate under the directory", Change(Syscall.XnAlloc, fs.Directory, 8 * 64 + 52, (uint)fs.AnyFreeBlock(), fs.AnyFreeBlock(), 1, fs.InodeType), (long)Error.NotOwner);
            Expect("stranger: map secret.txt's data block", SystemCall.XnMap(data, 0x7300_0000), (long)Error.NotOwner);
            Expect("stranger: fetch a run from the directory", SystemCall.XnFetchRun(fs.Directory, 4), (long)Error.NotOwner);
            ulong mine = fs.AnyFreeBlock();
            Expect("stranger: a root of its own", Root("mine", 0xBEEF, mine, fs.InodeType) == (long)mine ? 0 : -1, 0);
            Expect("stranger: claim secret.txt's data block in it", Change(Syscall.XnAlloc, mine, FileSystem.PointerOffset, data, data, 1, 0), (long)Error.BlockInUse);
            Expect("stranger: point at it with a plain write", Change(Syscall.XnWrite, mine, FileSystem.PointerOffset, data), (long)Error.ForgedPointer);
            return s_failures == 0 ? 0 : 1;
        }
    }
}
