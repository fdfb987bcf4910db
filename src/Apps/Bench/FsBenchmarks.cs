// ExoSharp's side of the file-system benchmarks (tools/fsbench.sh; the peer's is
// src/Bench/Linux/fsbench.c, the same operations on ext4): ExOS's POSIX calls (Files) over C-FFS
// on XN, in an ExOS program, the exokernel way (no Linux ABI in between).
//   fsbench small N   N files of 1 KB in 10 directories (file k in d<k % 10>): create, read cold
//                     (the library's cache dropped), read warm, delete;
//   fsbench fsync N   the same files created and deleted with an fsync after each file (create)
//                     or each unlink (the directory's);
//   fsbench profile PHASES  the same, each phase followed by its XN calls (ProfilingPort);
//   fsbench seq M     one file of M MiB written in 64 KiB writes, read cold, read warm, deleted;
//                     written again with an fsync after every MiB.
// Each phase ends in a sync and is timed with the time-stamp counter; the kernel's idle cycles
// (ClockRecord.IdleCycles, halts waiting for the disk) are taken out: "BENCH <name> busy=<n>
// idle=<n> total=<n>". Under -icount shift=0 busy is guest instructions. Small reads compare every
// byte after the timed loop, sequential ones a stamp in each 4 KiB block. Paths are made first.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.Apps.Bench
{
    internal static unsafe class FsBenchmarks
    {
        private const int Directories = 10, SmallSize = 1024, SeqChunk = 64 * 1024;
        private static ulong s_tsc, s_idle;
        private static int s_failures;
        private static ProfilingPort s_profile;          // `fsbench profile ...`: XN calls counted per phase
        private static ulong s_operations;

        public static int Main(string arguments)
        {
            int at = 0;
            if (arguments.StartsWith("profile "))
            {
                s_profile = new ProfilingPort(new CffsPort(CffsLayout.SystemKey));
                at = 8;
            }
            long r = Files.Mount(s_profile);
            if (r < 0) return Fail("mount the system volume", r);
            while (true)
            {
                string phase = Word(arguments, ref at), count = Word(arguments, ref at);
                if (phase.Length == 0) break;
                int n = (int)Arguments.Number(count, 1 << 20);
                if (phase == "small" && n > 0) Small(n, false);
                else if (phase == "fsync" && n > 0) Small(n, true);
                else if (phase == "seq" && n > 0) Sequential(n);
                else return Fail("bad phase '" + phase + " " + count + "' (small N | fsync N | seq MIB)", -22);
            }
            System.Console.WriteLine(s_failures == 0 ? "fsbench: all checks passed" : "fsbench: WRONG: " + s_failures.ToString() + " checks failed");
            System.Console.WriteLine("BENCH done");
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>The next space-separated word of text from at ("" at the end).</summary>
        private static string Word(string text, ref int at)
        {
            while (at < text.Length && text[at] == ' ') at++;
            int start = at;
            while (at < text.Length && text[at] != ' ') at++;
            return text.Substring(start, at - start);
        }

        private static int Fail(string what, long error)
        {
            System.Console.WriteLine("fsbench: WRONG: " + what + " -> " + error.ToString());
            s_failures++;
            return 1;
        }

        private static bool Check(string what, long got)
        {
            if (got >= 0) return true;
            Fail(what, got);
            return false;
        }

        private static void Start()
        {
            s_idle = Clock.IdleCycles;
            s_profile?.Reset();
            s_tsc = Benchmarks.Tsc();
        }

        private static void Stop(string name)
        {
            ulong total = Benchmarks.Tsc() - s_tsc;
            ulong idle = Clock.IdleCycles - s_idle;
            ulong busy = total > idle ? total - idle : 0;
            System.Console.WriteLine("BENCH " + name + " busy=" + busy.ToString() + " idle=" + idle.ToString() + " total=" + total.ToString());
            s_profile?.Print(name, s_operations);
        }

        private static byte Pattern(int file, int at) => (byte)(file * 13 + at * 7 + (at >> 8));

        private static void Small(int count, bool fsync)
        {
            string top = (fsync ? "/fsync" : "/small") + count.ToString();
            string[] paths = new string[count];
            string[] dirs = new string[Directories];
            Check("mkdir " + top, Files.Mkdir(top, 0x1ED));
            for (int d = 0; d < Directories; d++)
            {
                dirs[d] = top + "/d" + d.ToString();
                Check("mkdir " + dirs[d], Files.Mkdir(dirs[d], 0x1ED));
            }
            for (int k = 0; k < count; k++) paths[k] = dirs[k % Directories] + "/f" + k.ToString();
            Check("sync", Files.Sync());
            byte* buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(SmallSize * count));
            for (int k = 0; k < count; k++)
                for (int i = 0; i < SmallSize; i++) buffer[k * SmallSize + i] = Pattern(k, i);
            string n = "_" + count.ToString();

            if (!fsync)
            {
                s_operations = (ulong)count;
                Create(paths, buffer, false);
                Stop("fs_small_create" + n);
                ReadSmall(paths, buffer, true, "fs_small_read" + n);
                ReadSmall(paths, buffer, false, "fs_small_read" + n + "_warm");
                Delete(paths, dirs, false);
                Stop("fs_small_delete" + n);
            }
            else
            {
                s_operations = (ulong)count;
                Create(paths, buffer, true);
                Stop("fs_small_create" + n + "_fsync");
                Delete(paths, dirs, true);
                Stop("fs_small_delete" + n + "_fsync");
            }
            for (int d = 0; d < Directories; d++) Check("rmdir " + dirs[d], Files.Rmdir(dirs[d]));
            Check("rmdir " + top, Files.Rmdir(top));
            Check("sync", Files.Sync());
            System.Runtime.InteropServices.NativeMemory.Free(buffer);
        }

        /// <summary>Creates every file with its 1 KB (an fsync before each close when fsync is set),
        /// then syncs; timed from Start.</summary>
        private static void Create(string[] paths, byte* buffer, bool fsync)
        {
            Start();
            for (int k = 0; k < paths.Length; k++)
            {
                long fd = Files.Open(paths[k], Files.WriteOnly | Files.Create | Files.Exclusive, 0x1A4);
                if (!Check("create " + paths[k], fd)) break;
                long w = Files.Write((int)fd, buffer + k * SmallSize, SmallSize);
                if (w != SmallSize) Fail("write " + paths[k], w);
                if (fsync) Check("fsync " + paths[k], Files.Fsync((int)fd));
                Files.Close((int)fd);
            }
            Check("sync", Files.Sync());
        }

        private static void ReadSmall(string[] paths, byte* expected, bool cold, string name)
        {
            if (cold) Check("drop the cache", Files.Volume.DropCache());
            byte* into = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(SmallSize * paths.Length));
            Start();
            for (int k = 0; k < paths.Length; k++)
            {
                long fd = Files.Open(paths[k], Files.ReadOnly);
                if (!Check("open " + paths[k], fd)) break;
                long got = Files.Read((int)fd, into + k * SmallSize, SmallSize);
                if (got != SmallSize) Fail("read " + paths[k], got);
                Files.Close((int)fd);
            }
            Check("sync", Files.Sync());
            Stop(name);
            for (int i = 0; i < SmallSize * paths.Length; i++)
                if (into[i] != expected[i]) { Fail("bytes of " + paths[i / SmallSize] + " at " + (i % SmallSize).ToString(), into[i]); break; }
            System.Runtime.InteropServices.NativeMemory.Free(into);
        }

        /// <summary>Unlinks every file (an fsync of its directory after each when fsync is set), then
        /// syncs; timed from Start.</summary>
        private static void Delete(string[] paths, string[] dirs, bool fsync)
        {
            long[] dirFds = new long[Directories];
            if (fsync)
                for (int d = 0; d < Directories; d++) dirFds[d] = Files.Open(dirs[d], Files.ReadOnly | Files.Directory);
            Start();
            for (int k = 0; k < paths.Length; k++)
            {
                if (!Check("unlink " + paths[k], Files.Unlink(paths[k]))) break;
                if (fsync) Check("fsync " + dirs[k % Directories], Files.Fsync((int)dirFds[k % Directories]));
            }
            Check("sync", Files.Sync());
            if (fsync)
                for (int d = 0; d < Directories; d++) Files.Close((int)dirFds[d]);
        }

        private static void Sequential(int mib)
        {
            string path = "/seq";
            byte* chunk = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(SeqChunk);
            string n = "_" + mib.ToString() + "m";
            long chunks = (long)mib * 1024 * 1024 / SeqChunk;
            s_operations = (ulong)(mib * 256);
            for (int round = 0; round < 2; round++)
            {
                bool fsync = round == 1;
                long fd = Files.Open(path, Files.WriteOnly | Files.Create | Files.Exclusive, 0x1A4);
                if (!Check("create " + path, fd)) break;
                Start();
                for (long c = 0; c < chunks; c++)
                {
                    for (int i = 0; i < SeqChunk; i += 4096) *(long*)(chunk + i) = c * 16 + i / 4096;
                    long w = Files.Write((int)fd, chunk, SeqChunk);
                    if (w != SeqChunk) { Fail("write " + path + " chunk " + c.ToString(), w); break; }
                    if (fsync && (c + 1) % (1024 * 1024 / SeqChunk) == 0) Check("fsync", Files.Fsync((int)fd));
                }
                Check("sync", Files.Sync());
                Stop("fs_seq_write" + n + (fsync ? "_fsync" : ""));
                Files.Close((int)fd);
                if (!fsync)
                {
                    ReadSeq(path, chunk, chunks, true, "fs_seq_read" + n);
                    ReadSeq(path, chunk, chunks, false, "fs_seq_read" + n + "_warm");
                }
                Start();
                Check("unlink " + path, Files.Unlink(path));
                Check("sync", Files.Sync());
                Stop("fs_seq_delete" + n + (fsync ? "_fsync" : ""));
            }
            System.Runtime.InteropServices.NativeMemory.Free(chunk);
        }

        private static void ReadSeq(string path, byte* chunk, long chunks, bool cold, string name)
        {
            if (cold) Check("drop the cache", Files.Volume.DropCache());
            long wrong = -1;
            Start();
            long fd = Files.Open(path, Files.ReadOnly);
            if (!Check("open " + path, fd)) return;
            for (long c = 0; c < chunks; c++)
            {
                long got = Files.Read((int)fd, chunk, SeqChunk);
                if (got != SeqChunk) { Fail("read " + path + " chunk " + c.ToString(), got); break; }
                for (int i = 0; i < SeqChunk && wrong < 0; i += 4096)
                    if (*(long*)(chunk + i) != c * 16 + i / 4096) wrong = c;
            }
            Files.Close((int)fd);
            Check("sync", Files.Sync());
            Stop(name);
            if (wrong >= 0) Fail("bytes of " + path + " in chunk " + wrong.ToString(), -5);
        }
    }
}
