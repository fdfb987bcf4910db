// ExOS's POSIX file calls (Files) on C-FFS, in the guest (tests/Boot/posix-files.test): open flags,
// read/write with the offset, lseek, pread/pwrite, dup, ftruncate, O_APPEND, O_TRUNC, directory
// reading, the path calls, errno results, and a forked child writing through an inherited
// descriptor, whose offset the parent then sees advanced (one open file description).
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using Fs = ExoSharp.LibOS.ExOS.Files;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class PosixFiles
    {
        private static int s_failures;

        private static void Expect(string what, long got, long expected)
        {
            bool ok = got == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("posix: " + what + " -> " + got.ToString() + (ok ? " ok" : " WRONG (expected " + expected.ToString() + ")"));
        }

        private static long E(Errno e) => -(long)e;

        private static long Put(int fd, string text)
        {
            byte* b = stackalloc byte[text.Length + 1];
            for (int i = 0; i < text.Length; i++) b[i] = (byte)text[i];
            return Fs.Write(fd, b, (ulong)text.Length);
        }

        /// <summary>0 when the bytes at offset are text.</summary>
        private static long Has(int fd, ulong offset, string text)
        {
            byte* b = stackalloc byte[text.Length + 1];
            long n = Fs.PRead(fd, b, (ulong)text.Length, offset);
            if (n != text.Length) return n < 0 ? n : -1000 - n;
            for (int i = 0; i < text.Length; i++) if (b[i] != (byte)text[i]) return -1;
            return 0;
        }

        public static int Main(string arguments)
        {
            Expect("mount the system volume", Fs.Mount(), 0);
            Expect("mkdir /posix", Fs.Mkdir("/posix", 0x1ED), 0);
            long fd = Fs.Open("/posix/a", Fs.Create | Fs.ReadWrite);
            Expect("open /posix/a O_CREAT|O_RDWR", fd, 0);
            int f = (int)fd;
            Expect("write 10 bytes", Put(f, "0123456789"), 10);
            Expect("lseek(0, SEEK_CUR)", Fs.Seek(f, 0, Fs.SeekCurrent), 10);
            Expect("lseek(2, SEEK_SET)", Fs.Seek(f, 2, Fs.SeekSet), 2);
            byte* b = stackalloc byte[16];
            Expect("read 4 bytes", Fs.Read(f, b, 4), 4);
            Expect("they are 2345", b[0] == '2' && b[3] == '5' ? 0 : -1, 0);
            Expect("pwrite 3 bytes at 100", Fs.PWrite(f, b, 3, 100), 3);
            Expect("the offset stays at 6", Fs.Seek(f, 0, Fs.SeekCurrent), 6);
            Expect("pread them back", Has(f, 100, "234"), 0);
            Fs.FStat(f, out FileStat st);
            Expect("fstat: size 103", (long)st.Size, 103);
            Expect("pread in the hole reads zeros", Has(f, 50, "\0\0\0"), 0);
            Expect("lseek(-3, SEEK_END)", Fs.Seek(f, -3, Fs.SeekEnd), 100);
            Expect("lseek to -1", Fs.Seek(f, -200, Fs.SeekCurrent), E(Errno.EINVAL));
            Expect("lseek with whence 7", Fs.Seek(f, 0, 7), E(Errno.EINVAL));

            Expect("open /posix/a O_CREAT|O_EXCL", Fs.Open("/posix/a", Fs.Create | Fs.Exclusive | Fs.WriteOnly), E(Errno.EEXIST));
            Expect("open /posix/none", Fs.Open("/posix/none", Fs.ReadOnly), E(Errno.ENOENT));
            Expect("open /posix O_WRONLY", Fs.Open("/posix", Fs.WriteOnly), E(Errno.EISDIR));
            Expect("open /posix/a O_DIRECTORY", Fs.Open("/posix/a", Fs.Directory), E(Errno.ENOTDIR));
            Expect("open /posix/a/x (a file as a directory)", Fs.Open("/posix/a/x", Fs.Create | Fs.WriteOnly), E(Errno.ENOTDIR));
            long w = Fs.Open("/posix/a", Fs.WriteOnly);
            Expect("read from an O_WRONLY descriptor", Fs.Read((int)w, b, 1), E(Errno.EBADF));
            Expect("read from descriptor 63 (closed)", Fs.Read(63, b, 1), E(Errno.EBADF));
            Expect("read from descriptor -1", Fs.Read(-1, b, 1), E(Errno.EBADF));
            Fs.Close((int)w);

            // fork: the child writes through the inherited descriptor; the offset is shared.
            Fs.Seek(f, 10, Fs.SeekSet);
            long child = Process.Fork();
            if (child == 0)
            {
                EnvironmentName.Set("posix-child");
                long r = Put(f, "CHILD");
                System.Console.WriteLine("posix: child: write 5 bytes through the inherited descriptor -> " + r.ToString());
                Fs.Sync();
                return r == 5 ? 0 : 1;
            }
            ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
            while (KernelTables.Environment(id).Status != EnvRecord.Ended) SystemCall.Yield();
            Expect("the child exited with status", (long)KernelTables.Environment(id).ExitStatus, 0);
            Expect("after the child's write the shared offset is", Fs.Seek(f, 0, Fs.SeekCurrent), 15);
            Expect("the parent reads what the child wrote", Has(f, 10, "CHILD"), 0);

            long g = Fs.Dup(f);
            Expect("dup", g, 1);
            Expect("write through the duplicate", Put((int)g, "dup"), 3);
            Expect("the original's offset moved with it", Fs.Seek(f, 0, Fs.SeekCurrent), 18);
            Expect("ftruncate to 4", Fs.FTruncate(f, 4), 0);
            Fs.FStat(f, out st);
            Expect("size after ftruncate", (long)st.Size, 4);
            long a = Fs.Open("/posix/a", Fs.WriteOnly | Fs.Append);
            Expect("write with O_APPEND", Put((int)a, "END"), 3);
            Expect("it went to the end", Has(f, 4, "END"), 0);
            Fs.Close((int)a);
            long t = Fs.Open("/posix/a", Fs.WriteOnly | Fs.TruncateOnOpen);
            Fs.FStat(f, out st);
            Expect("open with O_TRUNC empties it", (long)st.Size, 0);
            Fs.Close((int)t);

            Expect("symlink a /posix/link", Fs.Symlink("a", "/posix/link"), 0);
            Expect("readlink /posix/link", Fs.ReadLink("/posix/link", b, 16), 1);
            Expect("open /posix/link O_NOFOLLOW", Fs.Open("/posix/link", Fs.ReadOnly | Fs.NoFollow), E(Errno.ELOOP));
            Expect("link /posix/a /posix/b", Fs.Link("/posix/a", "/posix/b"), 0);
            Fs.Stat("/posix/b", out st);
            Expect("nlink of /posix/b", st.Nlink, 2);
            Expect("mkdir /posix/sub", Fs.Mkdir("/posix/sub", 0x1ED), 0);
            Expect("rename /posix/b /posix/sub/b", Fs.Rename("/posix/b", "/posix/sub/b"), 0);
            Expect("rmdir /posix/sub (not empty)", Fs.Rmdir("/posix/sub"), E(Errno.ENOTEMPTY));
            Expect("unlink /posix/sub/b", Fs.Unlink("/posix/sub/b"), 0);
            Expect("rmdir /posix/sub", Fs.Rmdir("/posix/sub"), 0);
            long dir = Fs.Open("/posix", Fs.ReadOnly | Fs.Directory);
            byte* name = stackalloc byte[160];
            string names = "";
            while (Fs.ReadDir((int)dir, name, out int length, out _, out _) == 1) names += " " + new string((sbyte*)name, 0, length);
            System.Console.WriteLine("posix: readdir /posix:" + names);
            Expect("readdir /posix lists a and link", names == " a link" ? 0 : -1, 0);
            Expect("fsync", Fs.Fsync(f), 0);
            Expect("close", Fs.Close(f), 0);
            Expect("close it again", Fs.Close(f), E(Errno.EBADF));
            System.Console.WriteLine(s_failures == 0 ? "posix: all checks passed" : "posix: WRONG: " + s_failures.ToString() + " failed");
            return s_failures == 0 ? 0 : 1;
        }
    }
}
