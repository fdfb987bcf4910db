// The Linux calls on descriptors (read, write and their vector and positioned forms, lseek,
// fstat, getdents64, ftruncate, fsync, ioctl, close, dup/dup2/dup3, fcntl, pipe/pipe2,
// sendfile, poll/ppoll), over DescriptorTable's objects. Arguments arrive as the registers left them; every
// buffer is checked (UserPointers: EFAULT) before an object touches it; results are counts or
// -errno. Missing: preadv/pwritev, F_SETLK and the other locks, F_GETPIPE_SZ, select, epoll.
using ExoSharp.LibOS.ExOS;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class DescriptorCalls
    {
        public const int CloseOnExec = 0x80000;     // O_CLOEXEC
        private const ulong MaxCount = 0x7FFFF000;  // Linux's MAX_RW_COUNT
        private const ulong MaxVector = 1024;       // IOV_MAX

        private static long Fail(Errno e) => -(long)e;

        public static long Read(ulong fd, ulong buffer, ulong count)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (count > MaxCount) count = MaxCount;
            if (!UserPointers.Check(buffer, count, true)) return Fail(Errno.EFAULT);
            return o.Read((byte*)buffer, count);
        }

        public static long Write(ulong fd, ulong buffer, ulong count)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (count > MaxCount) count = MaxCount;
            if (!UserPointers.Check(buffer, count, false)) return Fail(Errno.EFAULT);
            return o.Write((byte*)buffer, count);
        }

        public static long ReadAt(ulong fd, ulong buffer, ulong count, ulong offset)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if ((long)offset < 0) return Fail(Errno.EINVAL);
            if (count > MaxCount) count = MaxCount;
            if (!UserPointers.Check(buffer, count, true)) return Fail(Errno.EFAULT);
            return o.ReadAt((byte*)buffer, count, offset);
        }

        public static long WriteAt(ulong fd, ulong buffer, ulong count, ulong offset)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if ((long)offset < 0) return Fail(Errno.EINVAL);
            if (count > MaxCount) count = MaxCount;
            if (!UserPointers.Check(buffer, count, false)) return Fail(Errno.EFAULT);
            return o.WriteAt((byte*)buffer, count, offset);
        }

        /// <summary>readv and writev: the whole vector is checked first, then done in order; a short
        /// transfer ends it.</summary>
        public static long Vector(ulong fd, ulong vector, ulong count, bool write)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (count > MaxVector) return Fail(Errno.EINVAL);
            if (!UserPointers.Check(vector, count * 16, false)) return Fail(Errno.EFAULT);
            ulong sum = 0;
            for (ulong i = 0; i < count; i++)
            {
                ulong* iov = (ulong*)(vector + i * 16);
                if (iov[1] > MaxCount || (sum += iov[1]) > MaxCount) return Fail(Errno.EINVAL);
                if (!UserPointers.Check(iov[0], iov[1], !write)) return Fail(Errno.EFAULT);
            }
            long total = 0;
            for (ulong i = 0; i < count; i++)
            {
                ulong* iov = (ulong*)(vector + i * 16);
                if (iov[1] == 0) continue;
                long n = write ? o.Write((byte*)iov[0], iov[1]) : o.Read((byte*)iov[0], iov[1]);
                if (n < 0) return total > 0 ? total : n;
                total += n;
                if ((ulong)n < iov[1]) break;
            }
            return total;
        }

        public static long Seek(ulong fd, ulong offset, ulong whence)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (whence > 2) return Fail(Errno.EINVAL);
            return o.Seek((long)offset, (int)whence);
        }

        public static long Stat(ulong fd, ulong buffer)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (!UserPointers.Check(buffer, StatBuffer.StatSize, true)) return Fail(Errno.EFAULT);
            r = o.Stat(out FileStat st, out ulong device);
            if (r < 0) return r;
            StatBuffer.WriteStat((byte*)buffer, st, device);
            return 0;
        }

        public static long ReadDirectory(ulong fd, ulong buffer, ulong count)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (count > MaxCount) count = MaxCount;
            if (!UserPointers.Check(buffer, count, true)) return Fail(Errno.EFAULT);
            return o.ReadDirectory((byte*)buffer, count);
        }

        public static long Truncate(ulong fd, ulong size)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if ((long)size < 0) return Fail(Errno.EINVAL);
            return o.Truncate(size);
        }

        public static long Sync(ulong fd)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            return o == null ? r : o.Sync();
        }

        public static long Ioctl(ulong fd, ulong request, ulong argument)
        {
            const ulong FioNClex = 0x5450, FioClex = 0x5451;
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            if (request == FioClex || request == FioNClex) return DescriptorTable.SetCloseOnExec(fd, request == FioClex);
            return o.Ioctl(request, argument);
        }

        public static long Close(ulong fd) => DescriptorTable.Close(fd);

        public static long Dup(ulong fd) => DescriptorTable.Dup(fd, 0, false);

        public static long Dup2(ulong from, ulong to)
        {
            if (DescriptorTable.Get(from) == null) return Fail(Errno.EBADF);
            return from == to ? (long)to : DescriptorTable.DupTo(from, to, false);
        }

        public static long Dup3(ulong from, ulong to, ulong flags)
        {
            if ((flags & ~(ulong)CloseOnExec) != 0) return Fail(Errno.EINVAL);
            if (DescriptorTable.Get(from) == null) return Fail(Errno.EBADF);
            if (from == to) return Fail(Errno.EINVAL);
            return DescriptorTable.DupTo(from, to, flags != 0);
        }

        public static long Control(ulong fd, ulong command, ulong argument)
        {
            const ulong DupFd = 0, GetFd = 1, SetFd = 2, GetFl = 3, SetFl = 4, DupFdCloseOnExec = 1030;
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            switch (command)
            {
                case DupFd: return (long)argument < 0 || argument >= int.MaxValue ? Fail(Errno.EINVAL) : DescriptorTable.Dup(fd, (int)argument, false);
                case DupFdCloseOnExec: return (long)argument < 0 || argument >= int.MaxValue ? Fail(Errno.EINVAL) : DescriptorTable.Dup(fd, (int)argument, true);
                case GetFd: return DescriptorTable.GetCloseOnExec(fd);
                case SetFd: return DescriptorTable.SetCloseOnExec(fd, (argument & DescriptorTable.CloseOnExecFlag) != 0);
                case GetFl: return o.Flags;
                case SetFl: return o.SetFlags((int)argument);
                default: return Fail(Errno.EINVAL);
            }
        }

        /// <summary>pipe and pipe2: two descriptors written to the int[2] at fds (read end first).</summary>
        public static long Pipe(ulong fds, ulong flags)
        {
            if ((flags & ~(ulong)(CloseOnExec | FileObject.NonBlock)) != 0) return Fail(Errno.EINVAL);
            if (!UserPointers.Check(fds, 8, true)) return Fail(Errno.EFAULT);
            if (DescriptorTable.Free() < 2) return Fail(Errno.EMFILE);
            int status = (int)flags & FileObject.NonBlock;
            long slot = PipeBuffer.Create(status, status);
            if (slot < 0) return slot;
            bool closeOnExec = (flags & CloseOnExec) != 0;
            long reader = DescriptorTable.Add(new PipeEnd((int)slot, false), closeOnExec);
            long writer = DescriptorTable.Add(new PipeEnd((int)slot, true), closeOnExec);
            ((int*)fds)[0] = (int)reader;
            ((int*)fds)[1] = (int)writer;
            return 0;
        }

        /// <summary>poll and ppoll: readiness of each pollfd's descriptor (POLLNVAL for a closed
        /// one, ignored when negative), waiting by yielding until one is ready or the timeout
        /// (milliseconds; negative: none) passes, at the clock's 10 ms ticks. A wait without a
        /// timeout on objects no other process can change answers EDEADLK (it could never end).</summary>
        public static long Poll(ulong fds, ulong count, long timeoutMs)
        {
            const short Invalid = 0x20;
            if (count > 1024) return Fail(Errno.EINVAL);
            if (!UserPointers.Check(fds, count * 8, true)) return Fail(Errno.EFAULT);
            ulong deadline = timeoutMs < 0 ? ulong.MaxValue : Clock.Ticks + ((ulong)timeoutMs + 9) / 10;
            while (true)
            {
                long ready = 0;
                bool mayChange = false, onlyConsole = true;
                for (ulong i = 0; i < count; i++)
                {
                    byte* p = (byte*)(fds + i * 8);
                    int fd = *(int*)p;
                    short events = *(short*)(p + 4);
                    short revents = 0;
                    if (fd >= 0)
                    {
                        OpenObject o = DescriptorTable.Get((ulong)fd);
                        if (o == null) revents = Invalid;
                        else
                        {
                            int now = o.Poll();
                            if ((now & OpenObject.PollIn) != 0) now |= OpenObject.PollReadNormal;
                            if ((now & OpenObject.PollOut) != 0) now |= OpenObject.PollWriteNormal;
                            revents = (short)(now & (events | OpenObject.PollError | OpenObject.PollHangUp));
                            mayChange |= o.MayChange;
                            onlyConsole &= !o.MayChange || o is ConsoleObject;
                        }
                    }
                    *(short*)(p + 6) = revents;
                    if (revents != 0) ready++;
                }
                if (ready > 0 || timeoutMs == 0 || Clock.Ticks >= deadline) return ready;
                if (timeoutMs < 0 && !mayChange) return Fail(Errno.EDEADLK);
                // Only the terminal can change: sleep on its ring (a wakeup predicate) until input
                // or the deadline, rather than spin.
                if (onlyConsole && Console.IsOpen) Console.WaitReadable(timeoutMs < 0 ? uint.MaxValue : (uint)(deadline - Clock.Ticks));
                else SystemCall.Yield();
            }
        }

        /// <summary>ppoll: as poll with a timespec (null: no timeout); the signal mask is ignored
        /// (no signals yet).</summary>
        public static long PollTimespec(ulong fds, ulong count, ulong timespec)
        {
            long timeoutMs = -1;
            if (timespec != 0)
            {
                if (!UserPointers.Check(timespec, 16, false)) return Fail(Errno.EFAULT);
                long seconds = ((long*)timespec)[0], nanoseconds = ((long*)timespec)[1];
                if (seconds < 0 || (ulong)nanoseconds >= 1_000_000_000) return Fail(Errno.EINVAL);
                timeoutMs = seconds > 1_000_000_000 ? long.MaxValue / 2 : seconds * 1000 + (nanoseconds + 999_999) / 1_000_000;
            }
            return Poll(fds, count, timeoutMs);
        }

        /// <summary>sendfile(out, in, offset, count): through a buffer of the library OS's; in must be
        /// able to read at an offset (a file) when offset is given.</summary>
        public static long SendFile(ulong outFd, ulong inFd, ulong offsetAddress, ulong count)
        {
            OpenObject output = DescriptorTable.Get(outFd, out long r);
            if (output == null) return r;
            OpenObject input = DescriptorTable.Get(inFd, out r);
            if (input == null) return r;
            if ((input.Flags & Files.AccessMask) == Files.WriteOnly || (output.Flags & Files.AccessMask) == Files.ReadOnly) return Fail(Errno.EBADF);
            if (input.DirectoryPath != null) return Fail(Errno.EISDIR);
            // As Linux: the input must be a file (a terminal or a pipe cannot be mapped), so a
            // program falls back to read and write (busybox cat does) instead of blocking here.
            if (!(input is FileObject)) return Fail(Errno.EINVAL);
            if (offsetAddress != 0 && !UserPointers.Check(offsetAddress, 8, true)) return Fail(Errno.EFAULT);
            long offset = offsetAddress != 0 ? *(long*)offsetAddress : 0;
            if (offset < 0) return Fail(Errno.EINVAL);
            if (count > MaxCount) count = MaxCount;
            byte* chunk = stackalloc byte[4096];
            ulong done = 0;
            while (done < count)
            {
                ulong want = count - done < 4096 ? count - done : 4096;
                long n = offsetAddress != 0 ? input.ReadAt(chunk, want, (ulong)offset + done) : input.Read(chunk, want);
                if (n < 0) { if (done == 0) return n; break; }
                if (n == 0) break;
                long w = output.Write(chunk, (ulong)n);
                if (w < 0) { if (done == 0) return w; break; }
                done += (ulong)w;
                if (w < n)
                {
                    if (offsetAddress == 0) input.Seek(w - n, Files.SeekCurrent);
                    break;
                }
            }
            if (offsetAddress != 0) *(long*)offsetAddress = offset + (long)done;
            return (long)done;
        }
    }
}
