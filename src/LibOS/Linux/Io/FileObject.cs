// A file, directory or symbolic link of ExOS's volume as a descriptor's object: one ExOS
// descriptor (ExOS.Files) of its own, whose open description (offset, flags) lives in ExOS's
// shared file table, so dup and fork share offsets as Linux does. A directory keeps its absolute
// path (the base of *at calls); its getdents64 makes "." and ".." (C-FFS stores neither).
// Missing: a directory's path after a rename of it or a parent.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public sealed unsafe class FileObject : OpenObject
    {
        public const int NonBlock = 0x800, LargeFile = 0x8000;
        private readonly int _fd;                  // ExOS's descriptor
        private readonly string _directory;        // the absolute path, when a directory

        public FileObject(int exosDescriptor, string directoryPath)
        {
            _fd = exosDescriptor;
            _directory = directoryPath;
        }

        public override long Read(byte* buffer, ulong count) =>
            _directory != null ? Fail(Errno.EISDIR) : Files.Read(_fd, buffer, count);

        public override long Write(byte* buffer, ulong count) => Files.Write(_fd, buffer, count);

        public override long ReadAt(byte* buffer, ulong count, ulong offset) =>
            _directory != null ? Fail(Errno.EISDIR) : Files.PRead(_fd, buffer, count, offset);

        public override long WriteAt(byte* buffer, ulong count, ulong offset) => Files.PWrite(_fd, buffer, count, offset);

        public override long Seek(long offset, int whence) => Files.Seek(_fd, offset, whence);

        public override long Truncate(ulong size) =>
            _directory != null ? Fail(Errno.EINVAL) : Files.FTruncate(_fd, size);

        public override long Sync() => Files.Fsync(_fd);

        public override long Stat(out FileStat st, out ulong device)
        {
            device = 0;
            return Files.FStat(_fd, out st);
        }

        public override int Flags
        {
            get
            {
                long f = Files.GetFlags(_fd);
                return f < 0 ? 0 : (int)f & (Files.AccessMask | Files.Append | NonBlock) | LargeFile;
            }
        }

        public override long SetFlags(int flags) => Files.SetFlags(_fd, flags, Files.Append | NonBlock);

        public override string DirectoryPath => _directory;

        public override long Node(out Node node) => Files.NodeOf(_fd, out node);

        // A directory's offset: 0 before ".", 1 before "..", then C-FFS's entry cookie plus 2
        // (C-FFS stores neither; "." is the directory's inode, ".." its parent's).
        private const long Dots = 2;

        public override long ReadDirectory(byte* buffer, ulong count)
        {
            if (_directory == null) return Fail(Errno.ENOTDIR);
            byte* name = stackalloc byte[CffsLayout.NameMax + 1];
            ulong at = 0;
            while (true)
            {
                long offset = Files.Seek(_fd, 0, Files.SeekCurrent);
                if (offset < 0) return at > 0 ? (long)at : offset;
                int length;
                ulong ino;
                uint mode = CffsLayout.Directory;
                long next;
                if (offset < Dots)
                {
                    name[0] = name[1] = (byte)'.';
                    length = (int)offset + 1;
                    long r = offset == 0 ? Files.FStat(_fd, out FileStat st) : Files.Stat(_directory == "/" ? "/" : _directory + "/..", out st);
                    if (r < 0) return at > 0 ? (long)at : r;
                    ino = st.Ino;
                    next = offset + 1;
                }
                else
                {
                    Files.Seek(_fd, offset - Dots, Files.SeekSet);
                    long r = Files.ReadDir(_fd, name, out length, out ino, out mode);
                    next = Files.Seek(_fd, 0, Files.SeekCurrent) + Dots;
                    Files.Seek(_fd, offset, Files.SeekSet);
                    if (r < 0) return at > 0 ? (long)at : r;
                    if (r == 0) return (long)at;
                }
                ulong size = (ulong)(19 + length + 1 + 7) & ~7UL;
                if (at + size > count) return at > 0 ? (long)at : Fail(Errno.EINVAL);
                byte* d = buffer + at;
                *(ulong*)d = ino;
                *(long*)(d + 8) = next;
                *(ushort*)(d + 16) = (ushort)size;
                d[18] = TypeOf(mode);
                for (int i = 0; i < length; i++) d[19 + i] = name[i];
                for (ulong i = 19 + (ulong)length; i < size; i++) d[i] = 0;
                at += size;
                Files.Seek(_fd, next, Files.SeekSet);
            }
        }

        /// <summary>d_type from a mode: DT_DIR, DT_REG, DT_LNK, DT_UNKNOWN.</summary>
        private static byte TypeOf(uint mode)
        {
            uint kind = mode & CffsLayout.TypeMask;
            return kind == CffsLayout.Directory ? (byte)4 : kind == CffsLayout.Regular ? (byte)8 : kind == CffsLayout.Symlink ? (byte)10 : (byte)0;
        }

        public override OpenObject Duplicate()
        {
            long fd = Files.Dup(_fd);
            return fd < 0 ? null : new FileObject((int)fd, _directory);
        }

        public override void Close() => Files.Close(_fd);
    }
}
