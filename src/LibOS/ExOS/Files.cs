// ExOS's POSIX file calls over C-FFS (Cffs.FileSystem on the system volume): file descriptors per
// process, open file descriptions (node, offset, flags, references) in a page shared by a process
// and every child it forks, so a parent and its children share offsets as POSIX says. Results are
// 0 or a count, or -errno (Cffs.Errno, Linux's numbers), for a Linux-ABI library OS to pass through.
// The descriptor table is the process's own (copied at fork); a forked child opens the volume's root
// again (XN's authority is per environment) when it first uses the volume. Missing: permission checks, an open file surviving its
// unlink, O_APPEND atomic across processes, close-on-exec. A description a Linux process holds as its
// running image (HoldAsImage) makes opening that file for writing or truncating it ETXTBSY, as on
// Linux, while any process of the tree holds it.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS.Cffs;
using CffsFileSystem = ExoSharp.LibOS.ExOS.Cffs.FileSystem;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Files
    {
        // Linux's open flags and lseek whences.
        public const int ReadOnly = 0, WriteOnly = 1, ReadWrite = 2, AccessMask = 3;
        public const int Create = 0x40, Exclusive = 0x80, TruncateOnOpen = 0x200, Append = 0x400, Directory = 0x10000, NoFollow = 0x20000;
        public const int SeekSet = 0, SeekCurrent = 1, SeekEnd = 2;
        public const int MaxDescriptors = 64;
        /// <summary>A description's flag: held as a running program's image (not an open flag of Linux's).</summary>
        private const int HeldAsImage = 0x4000_0000;

        /// <summary>One open file description in the shared page (32 bytes).</summary>
        private struct OpenFile
        {
            public uint References;
            public int Flags;
            public uint Block;
            public int Slot;
            public ulong Offset;
            public ulong Unused;
        }

        private const int Descriptions = 4096 / 32 - 1;       // the page's first 32 bytes: the generation

        private static CffsFileSystem s_fs;
        private static CffsPort s_port;
        private static int[] s_fds;                            // descriptor -> description + 1 (0: closed)

        private static OpenFile* Table => (OpenFile*)(Layout.FileTable + 32);
        private static ulong* Generation => (ulong*)Layout.FileTable;

        public static CffsFileSystem Volume => s_fs;

        /// <summary>Opens (or makes, on a blank disk) the system volume; 0 or -errno. Once per process tree.</summary>
        public static long Mount() => Mount(null);

        /// <summary>Mounts the system volume through port (null: ExOS's own, CffsPort), e.g. a
        /// benchmark's counting wrapper around it. Once per process; later calls do nothing.</summary>
        public static long Mount(IXnPort port)
        {
            if (s_fs != null) return 0;
            PageInfo info;
            SystemCall.PageQuery(Layout.FileTable, &info);
            if (info.Flags == 0)
            {
                long frame = SystemCall.FrameAlloc();
                if (frame < 0) return -(long)Errno.ENOMEM;
                long r = SystemCall.PageMap(Capability.Self, Layout.FileTable, (ulong)frame, PageFlags.Writable);
                if (r < 0) return -(long)Errno.ENOMEM;
                for (int i = 0; i < 4096; i++) ((byte*)Layout.FileTable)[i] = 0;
            }
            s_fds = new int[MaxDescriptors];
            s_port = port == null ? new CffsPort(CffsLayout.SystemKey) : port as CffsPort;     // a wrapper (a benchmark's): no detaching
            s_fs = CffsFileSystem.Open(port ?? s_port, CffsLayout.SystemRoot, CffsLayout.SystemKey, true, out long error);
            if (s_fs == null) return error;
            s_fs.SharedGeneration = Generation;
            Process.AddForkHooks(&BeforeFork, &InChild);
            return 0;
        }

        // Fork: every description a descriptor names gains a reference; the child takes the root's
        // authority again.
        private static void BeforeFork(bool undo)
        {
            for (int fd = 0; fd < MaxDescriptors; fd++)
                if (s_fds[fd] != 0)
                {
                    if (undo) Table[s_fds[fd] - 1].References--;
                    else Table[s_fds[fd] - 1].References++;
                }
        }

        private static void InChild() => s_port?.Detach();

        private static long Check(int fd, out OpenFile* file)
        {
            file = null;
            if (s_fs == null || fd < 0 || fd >= MaxDescriptors || s_fds[fd] == 0) return -(long)Errno.EBADF;
            file = &Table[s_fds[fd] - 1];
            return 0;
        }

        private static Node NodeOf(OpenFile* f) => new Node(f->Block, f->Slot);

        /// <summary>open(2): a descriptor, or -errno.</summary>
        public static long Open(string path, int flags, uint mode = 0x1A4)
        {
            if (s_fs == null) return -(long)Errno.EIO;
            long r;
            Node node;
            if ((flags & (Create | Exclusive)) == (Create | Exclusive))
                r = s_fs.Create(path, mode, 0, 0, out node);        // EEXIST for any entry of the name, a link too
            else
            {
                r = s_fs.Lookup(path, (flags & NoFollow) == 0, out node);
                if (r == -(long)Errno.ENOENT && (flags & Create) != 0) r = s_fs.Create(path, mode, 0, 0, out node);
            }
            if (r < 0) return r;
            uint kind = s_fs.ModeOf(node) & CffsLayout.TypeMask;
            if ((flags & NoFollow) != 0 && kind == CffsLayout.Symlink) return -(long)Errno.ELOOP;
            if ((flags & Directory) != 0 && kind != CffsLayout.Directory) return -(long)Errno.ENOTDIR;
            if (kind == CffsLayout.Directory && (flags & AccessMask) != ReadOnly) return -(long)Errno.EISDIR;
            if (((flags & AccessMask) != ReadOnly || (flags & TruncateOnOpen) != 0) && IsImage(node)) return -(long)Errno.ETXTBSY;
            int fd = 0;
            while (fd < MaxDescriptors && s_fds[fd] != 0) fd++;
            if (fd == MaxDescriptors) return -(long)Errno.EMFILE;
            int d = 0;
            while (d < Descriptions && Table[d].References != 0) d++;
            if (d == Descriptions) return -(long)Errno.EMFILE;
            if ((flags & TruncateOnOpen) != 0 && (flags & AccessMask) != ReadOnly)
            {
                r = s_fs.Truncate(node, 0);
                if (r < 0) return r;
            }
            Table[d] = new OpenFile { References = 1, Flags = flags, Block = node.Block, Slot = node.Slot };
            s_fds[fd] = d + 1;
            return fd;
        }

        public static long Close(int fd)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            f->References--;
            s_fds[fd] = 0;
            return 0;
        }

        /// <summary>dup(2): the lowest free descriptor naming the same description.</summary>
        public static long Dup(int fd)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            int n = 0;
            while (n < MaxDescriptors && s_fds[n] != 0) n++;
            if (n == MaxDescriptors) return -(long)Errno.EMFILE;
            f->References++;
            s_fds[n] = s_fds[fd];
            return n;
        }

        /// <summary>The flags the description was opened with (changed by SetFlags), or -errno.</summary>
        public static long GetFlags(int fd)
        {
            long r = Check(fd, out OpenFile* f);
            return r < 0 ? r : f->Flags;
        }

        /// <summary>Replaces the description's flags in mask by those in flags (fcntl's F_SETFL).</summary>
        public static long SetFlags(int fd, int flags, int mask)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            f->Flags = (f->Flags & ~mask) | (flags & mask);
            return 0;
        }

        /// <summary>The inode a descriptor names (for attribute calls on the volume), or -errno.</summary>
        public static long NodeOf(int fd, out Node node)
        {
            node = default;
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            node = NodeOf(f);
            return 0;
        }

        /// <summary>Does an open description, in this process or any other sharing the file table,
        /// name the inode?</summary>
        public static bool IsOpen(Node node)
        {
            if (s_fs == null) return false;
            for (int d = 0; d < Descriptions; d++)
                if (Table[d].References != 0 && Table[d].Block == node.Block && Table[d].Slot == node.Slot) return true;
            return false;
        }

        public static long Read(int fd, byte* buffer, ulong count)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            if ((f->Flags & AccessMask) == WriteOnly) return -(long)Errno.EBADF;
            r = s_fs.ReadAt(NodeOf(f), f->Offset, buffer, count);
            if (r > 0) f->Offset += (ulong)r;
            return r;
        }

        public static long Write(int fd, byte* buffer, ulong count)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            if ((f->Flags & AccessMask) == ReadOnly) return -(long)Errno.EBADF;
            if ((f->Flags & Append) != 0 && s_fs.Stat(NodeOf(f), out FileStat st) == 0) f->Offset = st.Size;
            r = s_fs.WriteAt(NodeOf(f), f->Offset, buffer, count);
            if (r > 0) f->Offset += (ulong)r;
            return r;
        }

        public static long PRead(int fd, byte* buffer, ulong count, ulong offset)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            if ((f->Flags & AccessMask) == WriteOnly) return -(long)Errno.EBADF;
            return s_fs.ReadAt(NodeOf(f), offset, buffer, count);
        }

        public static long PWrite(int fd, byte* buffer, ulong count, ulong offset)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            if ((f->Flags & AccessMask) == ReadOnly) return -(long)Errno.EBADF;
            return s_fs.WriteAt(NodeOf(f), offset, buffer, count);
        }

        /// <summary>lseek(2): the new offset, or -errno.</summary>
        public static long Seek(int fd, long offset, int whence)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            long at;
            if (whence == SeekSet) at = offset;
            else if (whence == SeekCurrent) at = (long)f->Offset + offset;
            else if (whence == SeekEnd)
            {
                r = s_fs.Stat(NodeOf(f), out FileStat st);
                if (r < 0) return r;
                at = (long)st.Size + offset;
            }
            else return -(long)Errno.EINVAL;
            if (at < 0) return -(long)Errno.EINVAL;
            f->Offset = (ulong)at;
            return at;
        }

        public static long FTruncate(int fd, ulong size)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            if ((f->Flags & AccessMask) == ReadOnly) return -(long)Errno.EINVAL;
            return s_fs.Truncate(NodeOf(f), size);
        }

        public static long Truncate(string path, ulong size)
        {
            if (s_fs == null) return -(long)Errno.EIO;
            long r = s_fs.Lookup(path, true, out Node n);
            if (r >= 0 && IsImage(n)) return -(long)Errno.ETXTBSY;
            return r < 0 ? r : s_fs.Truncate(n, size);
        }

        /// <summary>Marks fd's description as held as a running image: while it is open anywhere in
        /// the tree, the file cannot be opened for writing or truncated (ETXTBSY).</summary>
        public static long HoldAsImage(int fd)
        {
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            f->Flags |= HeldAsImage;
            return 0;
        }

        /// <summary>Some description of the tree names node: held as an image (image), or open for writing (else).</summary>
        private static bool Names(Node node, bool image)
        {
            for (int d = 0; d < Descriptions; d++)
            {
                OpenFile* f = &Table[d];
                if (f->References == 0 || f->Block != node.Block || f->Slot != node.Slot) continue;
                if (image ? (f->Flags & HeldAsImage) != 0 : (f->Flags & AccessMask) != ReadOnly) return true;
            }
            return false;
        }

        private static bool IsImage(Node node) => Names(node, true);

        /// <summary>fd's file is open for writing by some description of the tree (execve reads such a
        /// file whole at once rather than page by page as it is touched).</summary>
        public static bool OpenForWriting(int fd)
        {
            long r = Check(fd, out OpenFile* f);
            return r < 0 || Names(NodeOf(f), false);
        }

        public static long FStat(int fd, out FileStat st)
        {
            st = default;
            long r = Check(fd, out OpenFile* f);
            return r < 0 ? r : s_fs.Stat(NodeOf(f), out st);
        }

        public static long Stat(string path, out FileStat st)
        {
            st = default;
            return s_fs == null ? -(long)Errno.EIO : s_fs.Stat(path, true, out st);
        }

        public static long LStat(string path, out FileStat st)
        {
            st = default;
            return s_fs == null ? -(long)Errno.EIO : s_fs.Stat(path, false, out st);
        }

        /// <summary>The next entry of a directory opened with Open (the offset is the cookie): 1, or 0 at the end.</summary>
        public static long ReadDir(int fd, byte* name, out int nameLength, out ulong ino, out uint mode)
        {
            nameLength = 0; ino = 0; mode = 0;
            long r = Check(fd, out OpenFile* f);
            if (r < 0) return r;
            ulong cookie = f->Offset;
            r = s_fs.ReadDir(NodeOf(f), ref cookie, name, out nameLength, out ino, out mode);
            f->Offset = cookie;
            return r;
        }

        public static long Unlink(string path) => s_fs == null ? -(long)Errno.EIO : s_fs.Unlink(path);
        public static long Rename(string from, string to) => s_fs == null ? -(long)Errno.EIO : s_fs.Rename(from, to);
        public static long Mkdir(string path, uint mode) => s_fs == null ? -(long)Errno.EIO : s_fs.Mkdir(path, mode);
        public static long Rmdir(string path) => s_fs == null ? -(long)Errno.EIO : s_fs.Rmdir(path);
        public static long Link(string from, string to) => s_fs == null ? -(long)Errno.EIO : s_fs.Link(from, to);
        public static long Symlink(string target, string path) => s_fs == null ? -(long)Errno.EIO : s_fs.Symlink(target, path);
        public static long ReadLink(string path, byte* buffer, int length) => s_fs == null ? -(long)Errno.EIO : s_fs.ReadLink(path, buffer, length);

        public static long Fsync(int fd)
        {
            long r = Check(fd, out OpenFile* f);
            return r < 0 ? r : s_fs.Fsync(NodeOf(f));
        }

        public static long Sync() => s_fs == null ? -(long)Errno.EIO : s_fs.Sync();

        /// <summary>Sync when this environment changed the volume since it started or forked (an
        /// exit's sync: what it wrote reaches the disk; a process that only read skips XnSync).</summary>
        public static long SyncIfWritten() => s_port != null && s_port.Wrote ? Sync() : 0;
    }
}
