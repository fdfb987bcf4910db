// ExOS's file system on XN, exercised (tests/Boot/xn-files.test, tools/disktest.sh):
//   files          make the file system "exos", write, read back, delete, sync (on a disk that
//                  already has it: as `files check`);
//   files check    after a reboot: the files written last time read back as written;
//   files stress N rounds of creating and deleting files with syncs in between, for the crash
//                  test (QEMU is killed in the middle); each round's line tells how many disk
//                  writes XN has made and how many blocks are dirty or being written;
//   files verify   after such a crash: every file reads back, each block either as written or all
//                  zeros (never another file's bytes, never garbage).
// File contents are a pattern derived from the file's name, so a checker needs no record.
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class Files
    {
        public const ulong Key = 0x2A2A_5EC5_9E37_79B9;
        private const ulong MapAt = 0x7000_0000;
        private static byte* s_buffer;

        public static int Main(string arguments)
        {
            s_buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(FileSystem.MaxBlocks * FileSystem.BlockSize);
            FileSystem fs = FileSystem.Open("exos", Key, out long error, out bool created);
            if (fs == null) return Fail("open: " + ExecutiveText.Result(error));
            System.Console.WriteLine("files: " + (created ? "made" : "opened") + " the file system 'exos' at block " + fs.Directory.ToString());
            if (arguments == "check") return Check(fs);
            if (arguments.StartsWith("stress")) return Stress(fs, arguments.Length > 7 ? (int)Arguments.Number(arguments.Substring(7), int.MaxValue) : 20);
            if (arguments == "verify") return Verify(fs);
            return created ? Demo(fs) : Check(fs);      // a disk that already has them: check them
        }

        private static int Demo(FileSystem fs)
        {
            int failures = 0;
            failures += Expect("create hello.txt", Make(fs, "hello.txt", 22), 0);
            failures += Expect("create pattern.bin (40000 bytes, 10 blocks)", Make(fs, "pattern.bin", 40000), 0);
            failures += Expect("create hello.txt again", Make(fs, "hello.txt", 5), (long)Error.BlockInUse);
            failures += Expect("read hello.txt back", ReadBack(fs, "hello.txt"), 22);
            failures += Expect("read pattern.bin back", ReadBack(fs, "pattern.bin"), 40000);
            System.Console.WriteLine("files: files: " + fs.List());
            failures += Expect("map pattern.bin's second block read-only", SystemCall.XnMap(fs.RootHandle, fs.DataBlock("pattern.bin", 1), MapAt), 0);
            bool same = true;
            for (int i = 0; i < FileSystem.BlockSize; i++) same &= ((byte*)MapAt)[i] == Pattern("pattern.bin", FileSystem.BlockSize + i);
            PageInfo page;
            SystemCall.PageQuery(MapAt, &page);
            failures += Expect("the mapped page holds the file's bytes, and is not writable", same && (page.Flags & PageFlags.Writable) == 0 ? 0 : -1, 0);
            ulong helloBlock = fs.DataBlock("hello.txt", 0);
            failures += Expect("delete hello.txt", fs.Delete("hello.txt"), 0);
            failures += Expect("read hello.txt after deleting it", fs.Read("hello.txt", s_buffer, 100), (long)Error.NoSuchBlock);
            failures += Expect("create notes.txt", Make(fs, "notes.txt", 5000), 0);
            System.Console.WriteLine("files: files: " + fs.List());
            failures += Expect("sync", SystemCall.XnSync(fs.RootHandle), 0);
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            BlockRecord mapped = registry[fs.DataBlock("pattern.bin", 1)], freed = registry[helloBlock];
            bool truthful = mapped.State == BlockRecord.Allocated && mapped.Type == 0 && mapped.Frame == page.Frame &&
                            (mapped.Flags & (BlockRecord.InCore | BlockRecord.OnDisk | BlockRecord.Dirty)) == (BlockRecord.InCore | BlockRecord.OnDisk) &&
                            freed.State == BlockRecord.Free && freed.Flags == 0;
            failures += Expect("the registry window: the mapped block cached clean in that frame, hello.txt's block free again", truthful ? 0 : -1, 0);
            failures += Expect("evict pattern.bin from the cache (10 data blocks and the inode)", fs.Evict("pattern.bin"), 11);
            failures += Expect("read pattern.bin back from the disk", ReadBack(fs, "pattern.bin"), 40000);
            XnInfo info;
            SystemCall.XnInfo(&info);
            System.Console.WriteLine("files: on disk: " + (info.Blocks - info.FreeBlocks).ToString() + " blocks in use; " + info.Writes.ToString() +
                                     " writes, " + info.Reads.ToString() + " reads, " + info.OwnsRuns.ToString() + " owns runs so far");
            failures += Expect("every owns run was compiled code", info.OwnsCompiled == info.OwnsRuns && info.OwnsRuns > 0 ? 0 : -1, 0);
            return failures;
        }

        private static int Check(FileSystem fs)
        {
            System.Console.WriteLine("files: files: " + fs.List());
            int failures = Expect("read pattern.bin back", ReadBack(fs, "pattern.bin"), 40000);
            failures += Expect("read notes.txt back", ReadBack(fs, "notes.txt"), 5000);
            failures += Expect("hello.txt stays deleted", fs.Read("hello.txt", s_buffer, 100), (long)Error.NoSuchBlock);
            return failures;
        }

        private static int Stress(FileSystem fs, int rounds)
        {
            for (int round = 1; round <= rounds; round++)
            {
                string name = "f" + (round % 24).ToString();
                fs.Delete(name);
                long made = Make(fs, name, 1000 + round * 2777 % 60000);
                if (made < 0 && made != (long)Error.TableFull) return Fail("stress: create " + name + ": " + ExecutiveText.Result(made));
                if (round % 3 == 0) fs.Delete("f" + ((round + 7) % 24).ToString());
                System.Console.WriteLine("files: stress round " + round.ToString() + ": " + DiskActivity());
                if (round % 2 == 0)
                {
                    SystemCall.XnSync(fs.RootHandle);
                    fs.Evict(name);             // and read it from the disk next time
                }
            }
            return 0;
        }

        /// <summary>"W writes, U unwritten": XN's disk writes so far and the blocks now dirty or being
        /// written (the registry window), which the crash test reports at its kill.</summary>
        private static string DiskActivity()
        {
            XnInfo info;
            SystemCall.XnInfo(&info);
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            int unwritten = 0;
            for (ulong b = 0; b < info.Blocks; b++)
                if ((registry[b].Flags & (BlockRecord.Dirty | BlockRecord.Writing)) != 0) unwritten++;
            return info.Writes.ToString() + " writes, " + unwritten.ToString() + " unwritten";
        }

        private static int Verify(FileSystem fs)
        {
            string names = fs.List();
            int files = 0, bad = 0;
            int start = 0;
            for (int i = 0; i <= names.Length; i++)
            {
                if (i < names.Length && names[i] != ' ') continue;
                if (i > start)
                {
                    string name = names.Substring(start, i - start);
                    long size = fs.Read(name, s_buffer, FileSystem.MaxBlocks * FileSystem.BlockSize);
                    files++;
                    if (size < 0 || !BlocksAsWrittenOrZero(name, (int)size))
                    {
                        bad++;
                        System.Console.WriteLine("files: verify: " + name + " WRONG (" + ExecutiveText.Result(size) + ")");
                    }
                }
                start = i + 1;
            }
            System.Console.WriteLine("files: verify: " + files.ToString() + " files, " + (bad == 0 ? "every block as written or zeros" : bad.ToString() + " WRONG"));
            return bad == 0 ? 0 : 1;
        }

        private static bool BlocksAsWrittenOrZero(string name, int size)
        {
            for (int k = 0; k * FileSystem.BlockSize < size; k++)
            {
                bool asWritten = true, zero = true;
                for (int i = k * FileSystem.BlockSize; i < size && i < (k + 1) * FileSystem.BlockSize; i++)
                {
                    asWritten &= s_buffer[i] == Pattern(name, i);
                    zero &= s_buffer[i] == 0;
                }
                if (!asWritten && !zero) return false;
            }
            return true;
        }

        private static long Make(FileSystem fs, string name, int length)
        {
            for (int i = 0; i < length; i++) s_buffer[i] = Pattern(name, i);
            return fs.Create(name, s_buffer, length);
        }

        private static long ReadBack(FileSystem fs, string name)
        {
            long size = fs.Read(name, s_buffer, FileSystem.MaxBlocks * FileSystem.BlockSize);
            if (size < 0) return size;
            for (int i = 0; i < (int)size; i++)
                if (s_buffer[i] != Pattern(name, i)) return (long)Error.BadArgument;
            return size;
        }

        private static byte Pattern(string name, int i)
        {
            uint h = 2166136261;
            for (int c = 0; c < name.Length; c++) h = (h ^ name[c]) * 16777619;
            return (byte)((h >> (i % 4 * 8)) + (uint)i * 31 + 7 | 1);       // never 0: a zero block is told apart
        }

        private static int Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            System.Console.WriteLine("files: " + what + " -> " + ExecutiveText.Result(result) + (ok ? " ok" : " WRONG, expected " + ExecutiveText.Result(expected)));
            return ok ? 0 : 1;
        }

        private static int Fail(string why)
        {
            System.Console.WriteLine("files: " + why);
            return 1;
        }
    }
}
