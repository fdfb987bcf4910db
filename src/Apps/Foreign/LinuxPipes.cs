// `linuxpipes`: the Linux library OS's descriptors and pipes across ExOS's copy-on-write fork
// (tests/Boot/linux-pipes-fork.test), driven through the same entry points LinuxCalls uses
// (Io.DescriptorCalls, Io.PathCalls) with buffers in the heap (inside the foreign region, as
// UserPointers demands), since the Linux process model's own fork is not served yet. Children
// inherit the descriptor table and the pipe's shared pages; each exits as a Linux process does
// (every descriptor closed). Checks: 100,000 bytes through an 8 KiB pipe from a child, EOF when
// the writer exits, two children's 1,000-byte writes arriving whole, a reader in another
// process keeping EPIPE away and its exit bringing it, a shared file offset, close-on-exec.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Io;

namespace ExoSharp.Apps.Foreign
{
    internal static unsafe class LinuxPipes
    {
        private static int s_failures;
        private static byte* s_memory;             // pages mapped where a foreign program's mmap would put them

        private static void Expect(string what, long got, long expected)
        {
            bool ok = got == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("linuxpipes: " + what + " -> " + got.ToString() + (ok ? " ok" : " WRONG (expected " + expected.ToString() + ")"));
        }

        private static long E(Errno e) => -(long)e;

        private static ulong At(int offset) => (ulong)(s_memory + offset);

        /// <summary>A child's end: every descriptor closed (as LinuxCalls' exit), then exit.</summary>
        private static void ChildExit(int status)
        {
            DescriptorTable.CloseAll();
            if (Files.Volume != null) Files.Sync();
            SystemCall.Exit(status);
        }

        private static long Wait(long child) => Process.Wait((ulong)child);

        public static int Main(string arguments)
        {
            s_memory = (byte*)ExoSharp.LibOS.Linux.Runtime.LinuxLayout.MapBase;     // the foreign region (not ExOS's heap: EFAULT there)
            for (ulong page = 0; page < 256 * 1024; page += 4096)
                if (Memory.AllocatePage((ulong)s_memory + page) < 0) return 1;
            Process.AlsoCopy((ulong)s_memory, (ulong)s_memory + 256 * 1024);    // children see it as after a Linux fork
            DescriptorTable.Start();
            int* fds = (int*)At(0);
            byte* data = (byte*)At(4096);          // 100,000 bytes
            byte* into = (byte*)At(110000);        // 100,000 bytes

            // 1. A child writes 100,000 bytes (twelve times the pipe) and exits; the parent reads to EOF.
            Expect("pipe2", DescriptorCalls.Pipe(At(0), 0), 0);
            int r0 = fds[0], w0 = fds[1];
            Expect("its ends", r0 * 10 + w0, 34);
            long child = Process.Fork();
            if (child == 0)
            {
                DescriptorCalls.Close((ulong)r0);
                for (int i = 0; i < 100000; i++) data[i] = (byte)(i * 7 + i / 251);
                long written = DescriptorCalls.Write((ulong)w0, (ulong)data, 100000);
                ChildExit(written == 100000 ? 0 : 1);
            }
            Expect("fork", child > 0 ? 1 : 0, 1);
            Expect("the write end's references (parent and child)", PipeBuffer.References(0, true), 2);
            Expect("close the parent's write end", DescriptorCalls.Close((ulong)w0), 0);
            long total = 0, reads = 0, n;
            while ((n = DescriptorCalls.Read((ulong)r0, (ulong)(into + total), (ulong)(100000 - total < 3000 ? 100000 - total + 1 : 3000))) > 0) { total += n; reads++; }
            Expect("read until end of file (the child's exit closed the last write end): the last read", n, 0);
            Expect("bytes read", total, 100000);
            long bad = 0;
            for (int i = 0; i < 100000; i++) if (into[i] != (byte)(i * 7 + i / 251)) bad++;
            Expect("bytes that differ from the child's", bad, 0);
            System.Console.WriteLine("linuxpipes: in " + reads.ToString() + " reads");
            Expect("the child's status", Wait(child), 0);
            Expect("the write end's references now", PipeBuffer.References(0, true), 0);
            Expect("close the read end (the pipe's pages go)", DescriptorCalls.Close((ulong)r0), 0);
            Expect("slot 0 unmapped here", (long)(KernelTables.PageEntry(Layout.SharedPages) & 1), 0);

            // 2. Two children each write 50 messages of 1,000 bytes of one letter: each arrives whole.
            Expect("pipe2", DescriptorCalls.Pipe(At(0), 0), 0);
            int r1 = fds[0], w1 = fds[1];
            long a = Process.Fork();
            if (a == 0) Writer(r1, w1, (byte)'a');
            long b = Process.Fork();
            if (b == 0) Writer(r1, w1, (byte)'b');
            DescriptorCalls.Close((ulong)w1);
            long[] letters = new long[2];
            long torn = 0;
            total = 0;
            byte* message = (byte*)At(220000);
            while (true)
            {
                long got = 0;
                while (got < 1000 && (n = DescriptorCalls.Read((ulong)r1, (ulong)(message + got), (ulong)(1000 - got))) > 0) got += n;
                if (got == 0) break;
                total += got;
                int first = message[0] - 'a';
                for (int i = 1; i < got; i++) if (message[i] != message[0]) { torn++; break; }
                if (first == 0 || first == 1) letters[first]++;
            }
            Expect("messages from a", letters[0], 50);
            Expect("messages from b", letters[1], 50);
            Expect("messages torn by the other writer", torn, 0);
            Expect("bytes", total, 100000);
            Expect("a's status", Wait(a), 0);
            Expect("b's status", Wait(b), 0);
            DescriptorCalls.Close((ulong)r1);

            // 3. A reader in a child keeps EPIPE away; its exit brings it. A reader waiting on a
            // writer in another process waits (no EDEADLK) and sees EOF when that writer exits.
            Expect("pipe2", DescriptorCalls.Pipe(At(0), 0), 0);
            int r2 = fds[0], w2 = fds[1];
            long reader = Process.Fork();
            if (reader == 0)
            {
                long got = DescriptorCalls.Read((ulong)r2, At(8), 16);    // waits for the parent's byte
                ChildExit(got == 1 ? 0 : 1);
            }
            Expect("close the parent's read end", DescriptorCalls.Close((ulong)r2), 0);
            Expect("write with the reader in the child", DescriptorCalls.Write((ulong)w2, At(8), 1), 1);
            Expect("the reader's status", Wait(reader), 0);
            Expect("write with no reader left: EPIPE", DescriptorCalls.Write((ulong)w2, At(8), 1), E(Errno.EPIPE));
            DescriptorCalls.Close((ulong)w2);

            Expect("pipe2", DescriptorCalls.Pipe(At(0), 0), 0);
            int r3 = fds[0], w3 = fds[1];
            long sleeper = Process.Fork();
            if (sleeper == 0)
            {
                for (int i = 0; i < 20; i++) SystemCall.Yield();          // holds the write end a while, writes nothing
                ChildExit(0);
            }
            Expect("close the parent's write end", DescriptorCalls.Close((ulong)w3), 0);
            Expect("read waits for the other process, then end of file", DescriptorCalls.Read((ulong)r3, At(8), 4), 0);
            Expect("the writer's status", Wait(sleeper), 0);
            DescriptorCalls.Close((ulong)r3);

            // Measured: 4 MiB from a child through the pipe in 4,096-byte writes and reads.
            Expect("pipe2", DescriptorCalls.Pipe(At(0), 0), 0);
            int r4 = fds[0], w4 = fds[1];
            ulong start = Clock.Ticks;
            long pump = Process.Fork();
            if (pump == 0)
            {
                DescriptorCalls.Close((ulong)r4);
                long sent = 0;
                for (int i = 0; i < 1024; i++) sent += DescriptorCalls.Write((ulong)w4, (ulong)data, 4096);
                ChildExit(sent == 4 << 20 ? 0 : 1);
            }
            DescriptorCalls.Close((ulong)w4);
            total = 0;
            while ((n = DescriptorCalls.Read((ulong)r4, (ulong)into, 4096)) > 0) total += n;
            ulong ticks = Clock.Ticks - start;
            Expect("4 MiB through the pipe", total, 4 << 20);
            Expect("the sender's status", Wait(pump), 0);
            DescriptorCalls.Close((ulong)r4);
            System.Console.WriteLine("linuxpipes: measured: 4 MiB in " + (ticks * 10).ToString() + " ms (10 ms ticks, TCG), " +
                (ticks == 0 ? "more than 400" : (4000 / (ticks * 10) ).ToString()) + " MiB/s");

            // 4. Files: a descriptor inherited by a child shares the offset; close-on-exec.
            if (arguments == "files")
            {
                Expect("mount the system volume", Files.Mount(), 0);
                byte* path = (byte*)At(16);
                string name = "/shared.txt";
                for (int i = 0; i < name.Length; i++) path[i] = (byte)name[i];
                path[name.Length] = 0;
                long f = PathCalls.Open(unchecked((ulong)-100L), (ulong)path, 0x42, 0x1A4);   // O_CREAT|O_RDWR
                Expect("open /shared.txt", f, 3);
                byte* text = (byte*)At(64);
                text[0] = (byte)'P';
                Expect("the parent writes one byte", DescriptorCalls.Write((ulong)f, (ulong)text, 1), 1);
                long writer = Process.Fork();
                if (writer == 0)
                {
                    text[0] = (byte)'C';
                    long w = DescriptorCalls.Write((ulong)f, (ulong)text, 1);
                    ChildExit(w == 1 ? 0 : 1);
                }
                Expect("the child's status", Wait(writer), 0);
                Expect("the shared offset moved past the child's byte", DescriptorCalls.Seek((ulong)f, 0, 1), 2);
                Expect("dup with FD_CLOEXEC (F_DUPFD_CLOEXEC)", DescriptorCalls.Control((ulong)f, 1030, 0), 4);
                DescriptorTable.CloseOnExec();
                Expect("after CloseOnExec the marked descriptor is closed", DescriptorCalls.Control(4, 1, 0), E(Errno.EBADF));
                Expect("and the other stays", DescriptorCalls.Control((ulong)f, 1, 0), 0);
                DescriptorCalls.Close((ulong)f);
                Files.Sync();
            }
            System.Console.WriteLine("linuxpipes: " + (s_failures == 0 ? "all checks passed" : s_failures.ToString() + " WRONG"));
            return s_failures == 0 ? 0 : 1;
        }

        private static void Writer(int readEnd, int writeEnd, byte letter)
        {
            DescriptorCalls.Close((ulong)readEnd);
            byte* message = (byte*)At(letter == 'a' ? 160000 : 190000);
            for (int i = 0; i < 1000; i++) message[i] = letter;
            int bad = 0;
            for (int m = 0; m < 50; m++)
            {
                if (DescriptorCalls.Write((ulong)writeEnd, (ulong)message, 1000) != 1000) bad++;
                if (m % 7 == 0) SystemCall.Yield();
            }
            ChildExit(bad);
        }
    }
}
