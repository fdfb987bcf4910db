// What a Linux descriptor names (DescriptorTable): the console, a file or directory of ExOS's
// volume, a pipe end. Each call answers a count or 0, or -errno (Cffs.Errno); the defaults are
// what Linux answers for a kind that cannot do the call. Buffers are already checked
// (UserPointers) by the caller. Each descriptor holds its own object (dup makes another through
// Duplicate), so Close releases exactly one descriptor's reference. Missing: sockets.
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public abstract unsafe class OpenObject
    {
        protected static long Fail(Errno e) => -(long)e;

        public virtual long Read(byte* buffer, ulong count) => Fail(Errno.EBADF);
        public virtual long Write(byte* buffer, ulong count) => Fail(Errno.EBADF);
        public virtual long ReadAt(byte* buffer, ulong count, ulong offset) => Fail(Errno.ESPIPE);
        public virtual long WriteAt(byte* buffer, ulong count, ulong offset) => Fail(Errno.ESPIPE);
        public virtual long Seek(long offset, int whence) => Fail(Errno.ESPIPE);
        public virtual long Ioctl(ulong request, ulong argument) => Fail(Errno.ENOTTY);
        public virtual long Truncate(ulong size) => Fail(Errno.EINVAL);
        public virtual long Sync() => Fail(Errno.EINVAL);

        /// <summary>linux_dirent64 records into [buffer, buffer + count): bytes written, 0 at the end.</summary>
        public virtual long ReadDirectory(byte* buffer, ulong count) => Fail(Errno.ENOTDIR);

        /// <summary>The attributes (Mode carries the file type); Device: st_rdev.</summary>
        public abstract long Stat(out FileStat st, out ulong device);

        public const int PollIn = 0x1, PollOut = 0x4, PollError = 0x8, PollHangUp = 0x10, PollReadNormal = 0x40, PollWriteNormal = 0x100;

        /// <summary>poll's readiness now, among PollIn, PollOut, PollError and PollHangUp (the
        /// default: always readable and writable, as a regular file is).</summary>
        public virtual int Poll() => PollIn | PollOut;

        /// <summary>Could another process change Poll's answer (the other end of a pipe held
        /// elsewhere)? A wait on objects none of which can change would never end.</summary>
        public virtual bool MayChange => false;

        /// <summary>fcntl's F_GETFL: the access mode and status flags (Linux's O_* values).</summary>
        public abstract int Flags { get; }

        /// <summary>fcntl's F_SETFL: O_APPEND and O_NONBLOCK change; the rest is ignored.</summary>
        public virtual long SetFlags(int flags) => 0;

        /// <summary>The absolute path of a directory (the base of *at calls and fchdir), else null.</summary>
        public virtual string DirectoryPath => null;

        /// <summary>The inode on ExOS's volume (fchmod, futimens), or -errno.</summary>
        public virtual long Node(out Node node)
        {
            node = default;
            return Fail(Errno.EBADF);
        }

        /// <summary>Another descriptor's object naming the same open description, or null (no room).</summary>
        public abstract OpenObject Duplicate();

        /// <summary>Releases this descriptor's reference (the descriptor is already out of the table).</summary>
        public abstract void Close();

        /// <summary>Around a fork: the child's copy of this descriptor gains a reference (undo: the
        /// fork failed, the reference goes again).</summary>
        public virtual void Fork(bool undo) { }
    }
}
