// C-FFS in the guest (tests/Boot/cffs.test, tools/disktest.sh): the library file system of
// src/LibOS/ExOS/Cffs on the real disk through ExOS's XN calls.
//   cffs           make (or open) the system volume, exercise every call, then the fsx-style
//                  exerciser: 10,000 seeded operations against a shadow in memory; leave /guest
//                  holding files whose contents the host checks (tools/fsimage extract);
//   cffs check     after a reboot: /guest reads back as written, the tree as left;
//   cffs cycle L [N]  power cuts chained on one disk: check what the cut after round L left (L = -1:
//                  a blank disk), then carry on from round L + 1 (idempotent rounds with renames,
//                  directory moves, rmdir, unlink, fsync) until killed (tools/disktest.sh);
//   cffs ls        every path of the volume with its mode, size and, for a file, the FNV-1a hash of
//                  its bytes (what `make run ROOT=<dir>` put there, compared by tools/disktest.sh).
// No garbage collector: shadows and paths are allocated once.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using FileSystem = ExoSharp.LibOS.ExOS.Cffs.FileSystem;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class CffsDemo
    {
        private const int Files = 6, ShadowSize = 256 * 1024;
        private static int s_failures;

        public static int Main(string arguments)
        {
            var port = new CffsPort(CffsLayout.SystemKey);
            FileSystem fs = FileSystem.Open(port, CffsLayout.SystemRoot, CffsLayout.SystemKey, true, out long error);
            if (fs == null) return Fail("open the system volume", error);
            System.Console.WriteLine("cffs: opened the system volume (root block " + fs.RootBlock.ToString() + ", types " +
                fs.DirectoryType.ToString() + " " + fs.ExtentType.ToString() + " " + fs.InodeTableType.ToString() + ")");
            if (arguments == "check") return Check(fs);
            if (arguments == "ls") { List(fs, "/", fs.Root, 0); return 0; }
            if (arguments.StartsWith("cycle")) return Cycle(fs, arguments.Length > 6 ? arguments.Substring(6) : "");
            Demo(fs);
            Exercise(fs, 10000, 12345);
            Expect("sync", fs.Sync(), 0);
            System.Console.WriteLine(s_failures == 0 ? "cffs: all checks passed" : "cffs: WRONG: " + s_failures.ToString() + " checks failed");
            return s_failures == 0 ? 0 : 1;
        }

        private static int Fail(string what, long error)
        {
            System.Console.WriteLine("cffs: WRONG: " + what + " -> " + error.ToString());
            return 1;
        }

        private static void Expect(string what, long got, long expected)
        {
            bool ok = got == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("cffs: " + what + " -> " + got.ToString() + (ok ? " ok" : " WRONG (expected " + expected.ToString() + ")"));
        }

        private static byte Pattern(int file, long at) => (byte)(at * 7 + file * 31 + (at >> 12));

        private static long WriteFile(FileSystem fs, string path, int file, int length)
        {
            long r = fs.Create(path, 0x1A4, 0, 0, out Node n);
            if (r < 0) return r;
            byte* bytes = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)length + 1);
            for (int i = 0; i < length; i++) bytes[i] = Pattern(file, i);
            r = fs.WriteAt(n, 0, bytes, (ulong)length);
            System.Runtime.InteropServices.NativeMemory.Free(bytes);
            return r;
        }

        /// <summary>The file's length when every byte is Pattern(file, i); -1 when one is not.</summary>
        private static long ReadFile(FileSystem fs, string path, int file)
        {
            long r = fs.Stat(path, true, out FileStat st);
            if (r < 0) return r;
            r = fs.Lookup(path, true, out Node n);
            if (r < 0) return r;
            byte* bytes = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)st.Size + 1);
            r = fs.ReadAt(n, 0, bytes, st.Size);
            for (long i = 0; i < r; i++) if (bytes[i] != Pattern(file, i)) { r = -1; break; }
            System.Runtime.InteropServices.NativeMemory.Free(bytes);
            return r;
        }

        private static void Demo(FileSystem fs)
        {
            Expect("mkdir /guest", fs.Mkdir("/guest", 0x1ED), 0);
            Expect("mkdir /guest/nested/deeper (no parent)", fs.Mkdir("/guest/nested/deeper", 0x1ED), -(long)Errno.ENOENT);
            Expect("mkdir /guest/nested", fs.Mkdir("/guest/nested", 0x1ED), 0);
            Expect("write /guest/nested/small (1000 bytes)", WriteFile(fs, "/guest/nested/small", 1, 1000), 1000);
            Expect("write /guest/medium (70000 bytes)", WriteFile(fs, "/guest/medium", 2, 70000), 70000);
            Expect("create /guest/medium again", fs.Create("/guest/medium", 0x1A4, 0, 0, out _), -(long)Errno.EEXIST);
            Expect("read /guest/medium back", ReadFile(fs, "/guest/medium", 2), 70000);
            int made = 0;
            for (int i = 0; i < 40; i++)
                if (WriteFile(fs, "/guest/nested/f" + i.ToString(), 100 + i, 100 + i) == 100 + i) made++;
            Expect("40 small files in one directory (three directory blocks)", made, 40);
            Expect("link /guest/medium /guest/hard", fs.Link("/guest/medium", "/guest/hard"), 0);
            fs.Stat("/guest/hard", true, out FileStat st);
            Expect("nlink of /guest/hard", st.Nlink, 2);
            Expect("symlink nested/small /guest/soft", fs.Symlink("nested/small", "/guest/soft"), 0);
            Expect("read /guest/soft (through the link)", ReadFile(fs, "/guest/soft", 1), 1000);
            Expect("rename /guest/nested/f0 /guest/nested/first", fs.Rename("/guest/nested/f0", "/guest/nested/first"), 0);
            Expect("rename /guest/nested/f1 /guest/moved (another directory)", fs.Rename("/guest/nested/f1", "/guest/moved"), 0);
            Expect("unlink /guest/nested/f2", fs.Unlink("/guest/nested/f2"), 0);
            Expect("rmdir /guest/nested (not empty)", fs.Rmdir("/guest/nested"), -(long)Errno.ENOTEMPTY);
            Expect("create /guest/sparse", fs.Create("/guest/sparse", 0x1A4, 0, 0, out Node sparse), 0);
            byte* tail = stackalloc byte[16];
            for (int i = 0; i < 16; i++) tail[i] = (byte)('A' + i);
            Expect("write 16 bytes at 4 GiB - 16 of /guest/sparse", fs.WriteAt(sparse, (4UL << 30) - 16, tail, 16), 16);
            fs.Stat(sparse, out st);
            Expect("/guest/sparse: size 4 GiB in one block", st.Size == 4UL << 30 && st.Blocks == 1 ? 0 : -1, 0);
            Expect("sync", fs.Sync(), 0);
        }

        private static string Directory(int r) => "/s/d" + (r % 5).ToString();
        private static string Temporary(int r) => Directory(r) + "/tmp" + r.ToString();
        private static string Final(int r) => Directory(r + 1) + "/file" + r.ToString();
        private static string Renamed(int r) => Directory(r + 1) + "/old" + r.ToString();
        private static int StressLength(int r) => 1000 + r * 997 % 30000;

        // ------------------------------------------------------------------ power cuts, chained

        private static string Made(int r) => "/s/m" + r.ToString();
        private static string Placed(int r) => Directory(r) + "/m" + r.ToString();
        private static bool Exists(FileSystem fs, string path) => fs.Lookup(path, false, out _) == 0;

        /// <summary>`cffs cycle L [N]`: after a power cut that followed the line "stress round L" (L = -1:
        /// a blank disk), checks the disk, then carries on from round L + 1 for N rounds (default
        /// 100000: until QEMU is killed). Rounds are idempotent, so a round the cut left half done is
        /// finished: round r writes a file under a temporary name, syncs it (fsync), renames it into
        /// another directory, renames round r-1's file away and back in its directory, makes a
        /// directory and moves it under another parent, removes round r-4's directory and round r-8's
        /// file, and syncs.</summary>
        private static int Cycle(FileSystem fs, string arguments)
        {
            int at = 0;
            while (at < arguments.Length && arguments[at] != ' ') at++;
            int last = arguments.Length > 0 && arguments[0] == '-' ? -1 : (int)Arguments.Number(arguments.Substring(0, at), 100000);
            int rounds = at < arguments.Length ? (int)Arguments.Number(arguments.Substring(at + 1), 100000) : 100000;
            if (last < 0)
            {
                fs.Mkdir("/s", 0x1ED);
                for (int d = 0; d < 5; d++) fs.Mkdir("/s/d" + d.ToString(), 0x1ED);
                if (fs.Sync() != 0) return Fail("sync the blank disk's directories", -5);
            }
            else if (CycleVerify(fs, last) != 0) return 1;
            for (int r = last + 1; r <= last + rounds; r++)
            {
                long e = Round(fs, r);
                if (e != 0) return Fail("stress round " + r.ToString(), e);
                System.Console.WriteLine("cffs: stress round " + r.ToString());
            }
            return 0;
        }

        private static long Round(FileSystem fs, int r)
        {
            long e = 0;
            if (!Exists(fs, Final(r)) && !Exists(fs, Renamed(r)))
            {
                if (Exists(fs, Temporary(r))) e = fs.Unlink(Temporary(r));
                if (e == 0) { long w = WriteFile(fs, Temporary(r), 1000 + r, StressLength(r)); e = w == StressLength(r) ? 0 : w < 0 ? w : -5; }
                if (e == 0) e = fs.Sync();
                if (e == 0) e = fs.Rename(Temporary(r), Final(r));
            }
            else if (Exists(fs, Renamed(r))) e = fs.Rename(Renamed(r), Final(r));
            if (e == 0 && r >= 1 && Exists(fs, Renamed(r - 1))) e = fs.Rename(Renamed(r - 1), Final(r - 1));
            if (e == 0 && r >= 1) e = fs.Rename(Final(r - 1), Renamed(r - 1));
            if (e == 0 && r >= 1) e = fs.Rename(Renamed(r - 1), Final(r - 1));
            if (e == 0 && !Exists(fs, Placed(r)))
            {
                if (!Exists(fs, Made(r))) e = fs.Mkdir(Made(r), 0x1ED);
                if (e == 0) e = fs.Rename(Made(r), Placed(r));
            }
            if (e == 0 && r >= 4 && Exists(fs, Placed(r - 4))) e = fs.Rmdir(Placed(r - 4));
            if (e == 0 && r >= 8 && Exists(fs, Final(r - 8))) e = fs.Unlink(Final(r - 8));
            if (e == 0 && r >= 8 && Exists(fs, Renamed(r - 8))) e = fs.Unlink(Renamed(r - 8));
            if (e == 0) e = fs.Sync();
            return e;
        }

        /// <summary>The disk after a cut that followed "stress round L": rounds up to L done, round
        /// L + 1 any prefix of its steps. Every synced file exact under exactly one name; a file of
        /// round L + 1 past its rename exact too (it was synced before); no directory in two places.</summary>
        private static int CycleVerify(FileSystem fs, int last)
        {
            int files = 0, directories = 0;
            for (int r = last - 6 < 0 ? 0 : last - 6; r <= last + 1; r++)
            {
                bool temporary = Exists(fs, Temporary(r)), final = Exists(fs, Final(r)), renamed = Exists(fs, Renamed(r));
                int names = (temporary ? 1 : 0) + (final ? 1 : 0) + (renamed ? 1 : 0);
                if (r <= last && (temporary || names != 1)) { Expect("round " + r.ToString() + "'s file under exactly one name, not its temporary one", names * 10 + (temporary ? 1 : 0), 10); continue; }
                if (names > 1) { Expect("round " + r.ToString() + " (cut) file under at most one name", names, 1); continue; }
                if (!final && !renamed) continue;
                string path = final ? Final(r) : Renamed(r);
                long got = ReadFile(fs, path, 1000 + r);
                if (got != StressLength(r)) Expect("read " + path, got, StressLength(r));
                else files++;
            }
            for (int r = last - 10 < 0 ? 0 : last - 10; r <= last - 8; r++)
                if (Exists(fs, Final(r)) || Exists(fs, Renamed(r))) Expect("round " + r.ToString() + "'s file removed", 1, 0);
            for (int r = last - 8 < 0 ? 0 : last - 8; r <= last + 1; r++)
            {
                bool made = Exists(fs, Made(r)), placed = Exists(fs, Placed(r));
                if (made && placed) { Expect("directory m" + r.ToString() + " in two places", 2, 1); continue; }
                if (r <= last - 4)
                {
                    if (made || placed) Expect("directory m" + r.ToString() + " removed", 1, 0);
                    continue;
                }
                if (r >= last - 2 && r <= last && !placed) { Expect("directory m" + r.ToString() + " under its new parent", made ? 1 : 0, 2); continue; }
                if (placed) directories++;
            }
            int cut = last + 1;
            string fileState = Exists(fs, Temporary(cut)) ? "temporary" : Exists(fs, Final(cut)) || Exists(fs, Renamed(cut)) ? "moved" : "none";
            string dirState = Exists(fs, Placed(cut)) ? "moved" : Exists(fs, Made(cut)) ? "made" : "none";
            System.Console.WriteLine("cffs: cycle verify after round " + last.ToString() + ": " + files.ToString() + " synced files exact, " +
                directories.ToString() + " moved directories in place" + (s_failures == 0 ? ", each under one name" : ": WRONG") +
                " (round " + cut.ToString() + " as cut: file " + fileState + ", directory " + dirState + ")");
            return s_failures == 0 ? 0 : 1;
        }

        private static void List(FileSystem fs, string dir, Node node, int depth)
        {
            if (depth > 16) return;
            ulong cookie = 0;
            byte* name = stackalloc byte[CffsLayout.NameMax + 1];
            byte* buffer = stackalloc byte[4096];
            while (fs.ReadDir(node, ref cookie, name, out int length, out _, out uint mode) == 1)
            {
                string path = (dir == "/" ? "/" : dir + "/") + new string((sbyte*)name, 0, length);
                fs.Lookup(path, false, out Node child);
                fs.Stat(child, out FileStat st);
                string line = "cffs: ls " + path + " mode " + st.Mode.ToString() + " size " + st.Size.ToString();
                if ((st.Mode & CffsLayout.TypeMask) == CffsLayout.Regular)
                {
                    uint hash = 2166136261;
                    for (ulong at = 0; at < st.Size;)
                    {
                        long n = fs.ReadAt(child, at, buffer, 4096);
                        if (n <= 0) break;
                        for (long i = 0; i < n; i++) hash = (hash ^ buffer[i]) * 16777619;
                        at += (ulong)n;
                    }
                    line += " fnv " + hash.ToString();
                }
                System.Console.WriteLine(line);
                if ((st.Mode & CffsLayout.TypeMask) == CffsLayout.Directory) List(fs, path, child, depth + 1);
            }
        }

        private static int Check(FileSystem fs)
        {
            Expect("read /guest/medium after the reboot", ReadFile(fs, "/guest/medium", 2), 70000);
            Expect("read /guest/hard after the reboot", ReadFile(fs, "/guest/hard", 2), 70000);
            Expect("read /guest/soft after the reboot", ReadFile(fs, "/guest/soft", 1), 1000);
            Expect("read /guest/moved after the reboot", ReadFile(fs, "/guest/moved", 101), 101);
            Expect("read /guest/nested/f39 after the reboot", ReadFile(fs, "/guest/nested/f39", 139), 139);
            Expect("/guest/nested/f2 stays unlinked", fs.Lookup("/guest/nested/f2", true, out _), -(long)Errno.ENOENT);
            System.Console.WriteLine(s_failures == 0 ? "cffs: all checks passed" : "cffs: WRONG: " + s_failures.ToString() + " checks failed");
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>The fsx-style exerciser in the guest: ops seeded operations (write, read and compare,
        /// truncate, rename, remount) on Files files against shadows in memory.</summary>
        private static void Exercise(FileSystem fs, int ops, ulong seed)
        {
            Expect("mkdir /fsx", fs.Mkdir("/fsx", 0x1ED), 0);
            var paths = new string[Files];
            var spare = new string[Files];
            var shadows = new byte*[Files];
            var lengths = new long[Files];
            for (int f = 0; f < Files; f++)
            {
                paths[f] = "/fsx/file" + f.ToString();
                spare[f] = "/fsx/renamed" + f.ToString();
                shadows[f] = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(ShadowSize);
                fs.Create(paths[f], 0x1A4, 0, 0, out _);
            }
            byte* buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(65536);
            ulong x = seed;
            int mismatches = 0, remounts = 0;
            long bytesWritten = 0;
            for (int i = 0; i < ops && mismatches == 0; i++)
            {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
                int f = (int)((x >> 33) % Files), pick = (int)((x >> 40) % 100);
                ulong r1 = (x >> 13) & 0xFFFFF, r2 = (x >> 5) & 0xFFFF;
                fs.Lookup(paths[f], true, out Node n);
                if (pick < 40)
                {
                    long at = (long)(r1 % ShadowSize), length = 1 + (long)(r2 % 16384);
                    if (at + length > ShadowSize) length = ShadowSize - at;
                    for (long k = 0; k < length; k++) buffer[k] = (byte)(x >> (int)(k % 56));
                    if (fs.WriteAt(n, (ulong)at, buffer, (ulong)length) != length) mismatches++;
                    for (long k = 0; k < length; k++) shadows[f][at + k] = buffer[k];
                    if (at + length > lengths[f]) lengths[f] = at + length;
                    bytesWritten += length;
                }
                else if (pick < 80)
                {
                    long at = lengths[f] == 0 ? 0 : (long)(r1 % (ulong)lengths[f]), length = 1 + (long)(r2 % 65536);
                    long got = fs.ReadAt(n, (ulong)at, buffer, (ulong)length);
                    long expected = lengths[f] - at < length ? lengths[f] - at : length;
                    if (got != expected) mismatches++;
                    for (long k = 0; k < got && mismatches == 0; k++) if (buffer[k] != shadows[f][at + k]) mismatches++;
                }
                else if (pick < 90)
                {
                    long size = (long)(r1 % ShadowSize);
                    if (pick < 83) size = 0;
                    if (fs.Truncate(n, (ulong)size) != 0) mismatches++;
                    for (long k = size; k < lengths[f]; k++) shadows[f][k] = 0;
                    lengths[f] = size;
                }
                else if (pick < 99)
                {
                    if (fs.Rename(paths[f], spare[f]) != 0) mismatches++;
                    string t = paths[f]; paths[f] = spare[f]; spare[f] = t;
                }
                else
                {
                    fs.Sync();
                    fs = FileSystem.Open(new CffsPort(CffsLayout.SystemKey), CffsLayout.SystemRoot, CffsLayout.SystemKey, false, out long error);
                    if (fs == null) { mismatches++; break; }
                    remounts++;
                }
            }
            System.Console.WriteLine("cffs: fsx: " + ops.ToString() + " operations (seed " + seed.ToString() + ", " + bytesWritten.ToString() +
                " bytes written, " + remounts.ToString() + " remounts) on " + Files.ToString() + " files");
            Expect("fsx mismatches against the shadow", mismatches, 0);
            System.Runtime.InteropServices.NativeMemory.Free(buffer);
        }
    }
}
