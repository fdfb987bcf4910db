// A lying C-FFS library (tests/Boot/cffs-hostile.test): with the system volume's key, raw XN calls
// that break C-FFS's own layout (an extent grown or pointed elsewhere without an allocation, a
// pointer dropped without a free, an entry naming a block another parent owns, an allocation or a
// free whose change says otherwise) are refused by XN running C-FFS's own UDFs; then a forked
// environment with a root of its own cannot read or change the system volume, through its own
// root's capability (NotOwner) or the parent's handle (BadHandle), nor the system volume's owner
// its. Every refusal leaves the files as they were.
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using FileSystem = ExoSharp.LibOS.ExOS.Cffs.FileSystem;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class CffsAttack
    {
        private const ulong PrivateKey = 0x7C0FFEE5EC2E7;
        private static int s_failures;

        private static void Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("cffsattack: " + what + " -> " + ExecutiveText.Result(result) + (ok ? " ok" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        private static void ExpectErrno(string what, long result, Errno expected)
        {
            bool ok = result == -(long)expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("cffsattack: " + what + " -> " + result.ToString() + (ok ? " ok" : " WRONG, expected " + (-(long)expected).ToString()));
        }

        private static ulong s_root;       // the system volume's XnRoot capability

        private static long Raw(Syscall call, ulong block, ulong offset, uint* words, int count, ulong first = 0, ulong n = 0, ulong type = 0)
        {
            var change = new XnChange { Block = block, Offset = offset, Bytes = (ulong)words, Length = (ulong)(4 * count), First = first, Count = n, Type = type, Root = s_root };
            return SystemCall.Invoke(call, (ulong)&change);
        }

        private static uint FreeBlock(uint after)
        {
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            XnInfo info;
            SystemCall.XnInfo(&info);
            for (uint b = after; b < info.Blocks; b++) if (registry[b].State == BlockRecord.Free) return b;
            return 0;
        }

        private static bool Intact(FileSystem fs, string path, int length, byte seed)
        {
            byte* buffer = stackalloc byte[4096];
            long found = fs.Lookup(path, true, out Node n), got = found == 0 ? fs.ReadAt(n, 0, buffer, 4096) : 0;
            if (found != 0 || got != length)
            {
                System.Console.WriteLine("cffsattack: " + path + ": lookup " + found.ToString() + ", read " + got.ToString());
                return false;
            }
            for (int i = 0; i < length; i++) if (buffer[i] != (byte)(seed + i)) return false;
            return true;
        }

        public static int Main(string arguments)
        {
            var port = new CffsPort(CffsLayout.SystemKey);
            FileSystem fs = FileSystem.Open(port, CffsLayout.SystemRoot, CffsLayout.SystemKey, true, out long error);
            if (fs == null) { System.Console.WriteLine("cffsattack: open: " + error.ToString()); return 1; }
            s_root = port.RootHandle;
            byte* bytes = stackalloc byte[3000];
            for (int i = 0; i < 3000; i++) bytes[i] = (byte)(7 + i);
            fs.Create("/secret", 0x180, 0, 0, out Node secret);
            Expect("write /secret (3000 bytes)", fs.WriteAt(secret, 0, bytes, 3000), 3000);
            fs.Mkdir("/dir", 0x1ED);
            fs.Sync();
            uint root = fs.RootBlock, data = fs.PhysicalBlock(secret, 0);
            ulong extent = (ulong)(secret.Slot * CffsLayout.SlotSize + CffsLayout.ExtentOffset);
            uint* w = stackalloc uint[4];
            System.Console.WriteLine("cffsattack: /secret is entry " + secret.Slot.ToString() + " of block " + root.ToString() + ", its data at block " + data.ToString());

            uint free = FreeBlock(data + 2);
            w[0] = free; w[1] = 1; w[2] = 0;
            Expect("point /secret's extent at a free block (no allocation)", Raw(Syscall.XnWrite, root, extent, w, 3), (long)Error.ForgedPointer);
            w[0] = 2;
            Expect("grow /secret's extent over the next block, /dir's (no allocation)", Raw(Syscall.XnWrite, root, extent + 4, w, 1), (long)Error.BlockInUse);
            w[0] = 0;
            Expect("drop /secret's extent (no free)", Raw(Syscall.XnWrite, root, extent + 4, w, 1), (long)Error.LostPointer);
            w[0] = root;
            Expect("make /secret's extent-block pointer name the root directory's block", Raw(Syscall.XnWrite, root, (ulong)(secret.Slot * CffsLayout.SlotSize + CffsLayout.IndirectPointer), w, 1), (long)Error.ForgedPointer);
            w[0] = data; w[1] = 1; w[2] = 0;
            Expect("a second entry naming /secret's data block", Raw(Syscall.XnWrite, root, 9 * CffsLayout.SlotSize + CffsLayout.ExtentOffset, w, 3), (long)Error.BlockInUse);
            w[0] = free; w[1] = 3; w[2] = 0;
            Expect("allocate 2 blocks with a change claiming 3", Raw(Syscall.XnAlloc, root, 10 * CffsLayout.SlotSize + CffsLayout.ExtentOffset, w, 3, free, 2, 0), (long)Error.ForgedPointer);
            w[0] = free; w[1] = 1; w[2] = 0;
            Expect("allocate a data block typed as a directory block", Raw(Syscall.XnAlloc, root, 10 * CffsLayout.SlotSize + CffsLayout.ExtentOffset, w, 3, free, 1, fs.DirectoryType), (long)Error.ForgedPointer);
            w[0] = data; w[1] = 1;
            Expect("free /secret's data block while the change keeps the pointer", Raw(Syscall.XnFree, root, extent, w, 2, data, 1), (long)Error.ForgedPointer);
            // Lying moves: /secret's entry into /dir's first block.
            fs.Stat("/dir", true, out FileStat dirStat);
            uint dirBlock = 0;
            SystemCall.XnRead(s_root, root, (ulong)(dirStat.Ino % CffsLayout.Slots) * CffsLayout.SlotSize + CffsLayout.ChildPointer, (byte*)&dirBlock, 4);
            byte* entry = stackalloc byte[CffsLayout.SlotSize];
            byte* zero = stackalloc byte[CffsLayout.SlotSize];
            for (int i = 0; i < CffsLayout.SlotSize; i++) zero[i] = 0;
            SystemCall.XnRead(s_root, root, (ulong)(secret.Slot * CffsLayout.SlotSize), entry, CffsLayout.SlotSize);
            *(uint*)(entry + CffsLayout.ExtentOffset + CffsLayout.ExtentSize) = free;       // a second extent: a block never allocated
            *(uint*)(entry + CffsLayout.ExtentOffset + CffsLayout.ExtentSize + 4) = 1;
            var mf = new XnChange { Block = root, Offset = (ulong)(secret.Slot * CffsLayout.SlotSize), Bytes = (ulong)zero, Length = CffsLayout.SlotSize, Root = s_root };
            var mt = new XnChange { Block = dirBlock, Offset = 5 * CffsLayout.SlotSize, Bytes = (ulong)entry, Length = CffsLayout.SlotSize };
            Expect("move /secret's entry into /dir, adding a block on the way", SystemCall.XnMove(&mf, &mt), (long)Error.ForgedPointer);
            *(uint*)(entry + CffsLayout.ExtentOffset + CffsLayout.ExtentSize + 4) = 0;
            *(uint*)(entry + CffsLayout.ExtentOffset + CffsLayout.ExtentSize) = 0;
            *(uint*)(entry + CffsLayout.ExtentOffset + 4) = 0;
            Expect("move /secret's entry into /dir, dropping its data on the way", SystemCall.XnMove(&mf, &mt), (long)Error.LostPointer);
            mt.Block = data;
            Expect("move it into /secret's own data block", SystemCall.XnMove(&mf, &mt), (long)Error.NoSuchType);
            w[0] = 4000;
            Expect("write /secret's size (no pointer changes: the library's business)", Raw(Syscall.XnWrite, root, (ulong)(secret.Slot * CffsLayout.SlotSize + CffsLayout.Size), w, 1), 0);
            w[0] = 3000;
            Raw(Syscall.XnWrite, root, (ulong)(secret.Slot * CffsLayout.SlotSize + CffsLayout.Size), w, 1);
            Expect("/secret after the lies", Intact(fs, "/secret", 3000, 7) ? 0 : -1, 0);

            long child = Process.Fork();
            if (child == 0) return Stranger(fs, root, data, secret);
            ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
            while (KernelTables.Environment(id).Status != EnvRecord.Ended) SystemCall.Yield();
            if (KernelTables.Environment(id).ExitStatus != 0) s_failures++;
            FileSystem other = FileSystem.Open(new CffsPort(CffsLayout.SystemKey), "private", CffsLayout.SystemKey, false, out error);
            ExpectErrno("open the stranger's volume with the system key", other == null ? error : 0, Errno.EACCES);
            Expect("/secret after the stranger", Intact(fs, "/secret", 3000, 7) ? 0 : -1, 0);
            Expect("sync", fs.Sync(), 0);
            System.Console.WriteLine(s_failures == 0 ? "cffsattack: all refused" : "cffsattack: WRONG");
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>A forked environment with a root of its own and without the system key.</summary>
        private static int Stranger(FileSystem system, uint root, uint data, Node secret)
        {
            EnvironmentName.Set("stranger");
            var port = new CffsPort(PrivateKey);
            FileSystem mine = FileSystem.Open(port, "private", PrivateKey, true, out long error);
            Expect("stranger: make a C-FFS volume of its own", mine == null ? error : 0, 0);
            if (mine == null) return 1;
            byte* bytes = stackalloc byte[100];
            for (int i = 0; i < 100; i++) bytes[i] = (byte)(50 + i);
            mine.Create("/mine", 0x1A4, 0, 0, out Node n);
            Expect("stranger: write its own file", mine.WriteAt(n, 0, bytes, 100), 100);
            FileSystem theirs = FileSystem.Open(new CffsPort(PrivateKey), CffsLayout.SystemRoot, PrivateKey, false, out error);
            ExpectErrno("stranger: open the system volume with its own key", theirs == null ? error : 0, Errno.EACCES);
            byte* buffer = stackalloc byte[16];
            ulong own = port.RootHandle;
            Expect("stranger: read /secret's data block through its own root's capability", SystemCall.XnRead(own, data, 0, buffer, 16), (long)Error.NotOwner);
            Expect("stranger: fetch the system root directory through its own root's capability", SystemCall.XnFetch(own, root), (long)Error.NotOwner);
            Expect("stranger: fetch it with the parent's handle for the system root", SystemCall.XnFetch(s_root, root), (long)Error.BadHandle);
            Expect("stranger: read /secret through the system volume's code", system.ReadAt(secret, 0, buffer, 16) < 0 ? 0 : -1, 0);
            uint* w = stackalloc uint[3];
            w[0] = 0x656E6F47;
            var change = new XnChange { Block = data, Offset = 0, Bytes = (ulong)w, Length = 4, Root = own };
            Expect("stranger: write /secret's data block", SystemCall.XnWrite(&change), (long)Error.NotOwner);
            w[0] = data; w[1] = 1; w[2] = 0;
            change = new XnChange { Block = mine.RootBlock, Offset = 2 * CffsLayout.SlotSize + CffsLayout.ExtentOffset, Bytes = (ulong)w, Length = 12, First = data, Count = 1, Root = own };
            Expect("stranger: claim /secret's data block in its own directory", SystemCall.XnAlloc(&change), (long)Error.BlockInUse);
            var sf = new XnChange { Block = root, Offset = (ulong)(secret.Slot * CffsLayout.SlotSize + CffsLayout.ExtentOffset), Bytes = (ulong)w, Length = 4, Root = own };
            uint* mine4 = stackalloc uint[1];
            mine4[0] = data;
            var st2 = new XnChange { Block = mine.RootBlock, Offset = 3 * CffsLayout.SlotSize + CffsLayout.ExtentOffset, Bytes = (ulong)mine4, Length = 4 };
            w[0] = 0;
            Expect("stranger: move /secret's data block into its own directory", SystemCall.XnMove(&sf, &st2), (long)Error.NotOwner);
            Expect("stranger: its own file reads back", mine.ReadAt(n, 0, buffer, 16) == 16 && buffer[0] == 50 ? 0 : -1, 0);
            mine.Sync();
            return s_failures == 0 ? 0 : 1;
        }
    }
}
