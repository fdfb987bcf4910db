// The Linux calls on paths (openat and open, the stat family, mkdir, unlink and rmdir, rename,
// links, readlink, truncate, chdir and getcwd, umask, access, utimensat, chmod and chown), over
// ExOS.Files and its C-FFS volume. Paths are resolved by UserPaths (EFAULT, ENAMETOOLONG,
// AT_FDCWD and directory descriptors); flags Linux does not know are EINVAL where Linux says so.
// Everyone is root: access checks only existence and, for X_OK, an execute bit. Unlinking (or
// moving to another directory, or renaming over) the last name of a file that is open answers
// EBUSY (Busy): C-FFS cannot keep it yet. Missing:
// O_TMPFILE (EOPNOTSUPP), RENAME_EXCHANGE and RENAME_WHITEOUT (EINVAL), nanosecond times.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class PathCalls
    {
        private const ulong AtSymlinkNoFollow = 0x100, AtRemoveDir = 0x200, AtEAccess = 0x200, AtSymlinkFollow = 0x400,
            AtNoAutomount = 0x800, AtEmptyPath = 0x1000, AtStatxSyncMask = 0x6000;
        private const int Path = 0x200000, TemporaryFile = 0x400000;

        private static long Fail(Errno e) => -(long)e;

        public static long Open(ulong dirfd, ulong pathAddress, ulong flags, ulong mode)
        {
            long r = UserPaths.Resolve(dirfd, pathAddress, false, out string path);
            if (r < 0) return r;
            int f = (int)flags;
            if ((f & TemporaryFile) != 0) return Fail(Errno.EOPNOTSUPP);
            if ((f & Files.AccessMask) == Files.AccessMask) return Fail(Errno.EINVAL);
            if ((f & Path) != 0) f = (f & (Files.Directory | Files.NoFollow | DescriptorCalls.CloseOnExec)) | Files.ReadOnly;
            if (DescriptorTable.Free() == 0) return Fail(Errno.EMFILE);
            OpenObject device = Devices.Open(UserPaths.Normalize(path), f);
            if (device != null) return DescriptorTable.Add(device, (f & DescriptorCalls.CloseOnExec) != 0);
            uint creationMode = (uint)mode & 0xFFF & ~UserPaths.CreationMask;
            long fd = Files.Open(path, f & ~DescriptorCalls.CloseOnExec, creationMode);
            if (fd < 0) return fd;
            r = Files.FStat((int)fd, out FileStat st);
            if (r < 0) { Files.Close((int)fd); return r; }
            bool directory = (st.Mode & CffsLayout.TypeMask) == CffsLayout.Directory;
            return DescriptorTable.Add(new FileObject((int)fd, directory ? UserPaths.Normalize(path) : null), (f & DescriptorCalls.CloseOnExec) != 0);
        }

        /// <summary>The attributes for (dirfd, path, flags) with AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW.</summary>
        private static long StatOf(ulong dirfd, ulong pathAddress, ulong flags, out FileStat st, out ulong device)
        {
            st = default;
            device = 0;
            long r = UserPaths.Resolve(dirfd, pathAddress, (flags & AtEmptyPath) != 0, out string path);
            if (r < 0) return r;
            if (path == null)
            {
                if ((int)dirfd == (int)UserPaths.AtFdCwd) return Files.Stat(UserPaths.WorkingDirectory, out st);
                OpenObject o = DescriptorTable.Get(dirfd, out r);
                return o == null ? r : o.Stat(out st, out device);
            }
            if (Devices.Stat(UserPaths.Normalize(path), out st, out device)) return 0;
            return (flags & AtSymlinkNoFollow) != 0 ? Files.LStat(path, out st) : Files.Stat(path, out st);
        }

        public static long StatAt(ulong dirfd, ulong pathAddress, ulong buffer, ulong flags)
        {
            if ((flags & ~(AtSymlinkNoFollow | AtNoAutomount | AtEmptyPath)) != 0) return Fail(Errno.EINVAL);
            if (!UserPointers.Check(buffer, StatBuffer.StatSize, true)) return Fail(Errno.EFAULT);
            long r = StatOf(dirfd, pathAddress, flags, out FileStat st, out ulong device);
            if (r < 0) return r;
            StatBuffer.WriteStat((byte*)buffer, st, device);
            return 0;
        }

        public static long Statx(ulong dirfd, ulong pathAddress, ulong flags, ulong mask, ulong buffer)
        {
            if ((flags & ~(AtSymlinkNoFollow | AtNoAutomount | AtEmptyPath | AtStatxSyncMask)) != 0 || (flags & AtStatxSyncMask) == AtStatxSyncMask) return Fail(Errno.EINVAL);
            if ((mask & 0x80000000) != 0) return Fail(Errno.EINVAL);    // STATX__RESERVED
            if (!UserPointers.Check(buffer, StatBuffer.StatxSize, true)) return Fail(Errno.EFAULT);
            long r = StatOf(dirfd, pathAddress, flags, out FileStat st, out ulong device);
            if (r < 0) return r;
            StatBuffer.WriteStatx((byte*)buffer, st, device);
            return 0;
        }

        public static long MakeDirectory(ulong dirfd, ulong pathAddress, ulong mode)
        {
            long r = UserPaths.Resolve(dirfd, pathAddress, false, out string path);
            return r < 0 ? r : Files.Mkdir(path, (uint)mode & 0xFFF & ~UserPaths.CreationMask);
        }

        public static long Unlink(ulong dirfd, ulong pathAddress, ulong flags)
        {
            if ((flags & ~AtRemoveDir) != 0) return Fail(Errno.EINVAL);
            long r = UserPaths.Resolve(dirfd, pathAddress, false, out string path);
            if (r < 0) return r;
            if ((flags & AtRemoveDir) != 0) return Files.Rmdir(path);
            return Busy(path) ? Fail(Errno.EBUSY) : Files.Unlink(path);
        }

        /// <summary>Would removing the entry at path (or moving it to another directory) free or
        /// move an inode an open description still names, in this process or another? C-FFS cannot
        /// keep such a file yet, and a write through the stale description would land in whatever
        /// reuses the slot, so these calls answer EBUSY instead (a file with other links is fine:
        /// its inode stays where it is).</summary>
        private static bool Busy(string path)
        {
            if (Files.Volume.Lookup(path, false, out Node node) < 0 || Files.Volume.Stat(node, out FileStat st) < 0) return false;
            return st.Nlink <= 1 && (st.Mode & CffsLayout.TypeMask) != CffsLayout.Directory && Files.IsOpen(node);
        }

        /// <summary>The directory holding the last component of an absolute path.</summary>
        private static long ParentOf(string path, out Node node)
        {
            string n = UserPaths.Normalize(path);
            int slash = n.Length - 1;
            while (slash > 0 && n[slash] != '/') slash--;
            return Files.Volume.Lookup(slash <= 0 ? "/" : n.Substring(0, slash), true, out node);
        }

        public static long Rename(ulong oldDirfd, ulong oldAddress, ulong newDirfd, ulong newAddress, ulong flags)
        {
            const ulong NoReplace = 1;
            if ((flags & ~NoReplace) != 0) return Fail(Errno.EINVAL);
            long r = UserPaths.Resolve(oldDirfd, oldAddress, false, out string from);
            if (r < 0) return r;
            r = UserPaths.Resolve(newDirfd, newAddress, false, out string to);
            if (r < 0) return r;
            if ((flags & NoReplace) != 0 && Files.LStat(to, out _) == 0) return Fail(Errno.EEXIST);
            if (Busy(to) && Files.Volume.Lookup(to, false, out Node target) == 0 && Files.Volume.Lookup(from, false, out Node source) == 0 &&
                (target.Block != source.Block || target.Slot != source.Slot)) return Fail(Errno.EBUSY);
            if (Busy(from) && ParentOf(from, out Node fromDirectory) == 0 && ParentOf(to, out Node toDirectory) == 0 &&
                (fromDirectory.Block != toDirectory.Block || fromDirectory.Slot != toDirectory.Slot)) return Fail(Errno.EBUSY);
            return Files.Rename(from, to);
        }

        public static long Link(ulong oldDirfd, ulong oldAddress, ulong newDirfd, ulong newAddress, ulong flags)
        {
            if ((flags & ~(AtSymlinkFollow | AtEmptyPath)) != 0) return Fail(Errno.EINVAL);
            long r = UserPaths.Resolve(oldDirfd, oldAddress, false, out string from);
            if (r < 0) return r;
            r = UserPaths.Resolve(newDirfd, newAddress, false, out string to);
            if (r < 0) return r;
            if (Files.LStat(from, out FileStat st) == 0 && (st.Mode & CffsLayout.TypeMask) == CffsLayout.Directory) return Fail(Errno.EPERM);
            return Files.Link(from, to);
        }

        public static long Symlink(ulong targetAddress, ulong newDirfd, ulong newAddress)
        {
            long r = UserPaths.Read(targetAddress, out string target);
            if (r < 0) return r;
            if (target.Length == 0) return Fail(Errno.ENOENT);
            r = UserPaths.Resolve(newDirfd, newAddress, false, out string path);
            return r < 0 ? r : Files.Symlink(target, path);
        }

        public static long ReadLink(ulong dirfd, ulong pathAddress, ulong buffer, ulong size)
        {
            if ((long)size <= 0) return Fail(Errno.EINVAL);
            if (size > UserPaths.PathMax) size = UserPaths.PathMax;
            long r = UserPaths.Resolve(dirfd, pathAddress, false, out string path);
            if (r < 0) return r;
            if (!UserPointers.Check(buffer, size, true)) return Fail(Errno.EFAULT);
            return Files.ReadLink(path, (byte*)buffer, (int)size);
        }

        public static long Truncate(ulong pathAddress, ulong size)
        {
            if ((long)size < 0) return Fail(Errno.EINVAL);
            long r = UserPaths.Resolve(unchecked((ulong)UserPaths.AtFdCwd), pathAddress, false, out string path);
            if (r < 0) return r;
            r = Files.Stat(path, out FileStat st);
            if (r < 0) return r;
            if ((st.Mode & CffsLayout.TypeMask) == CffsLayout.Directory) return Fail(Errno.EISDIR);
            return Files.Truncate(path, size);
        }

        public static long ChangeDirectory(ulong pathAddress)
        {
            long r = UserPaths.Resolve(unchecked((ulong)UserPaths.AtFdCwd), pathAddress, false, out string path);
            if (r < 0) return r;
            return Enter(path);
        }

        public static long ChangeDirectoryTo(ulong fd)
        {
            OpenObject o = DescriptorTable.Get(fd, out long r);
            if (o == null) return r;
            return o.DirectoryPath == null ? Fail(Errno.ENOTDIR) : Enter(o.DirectoryPath);
        }

        private static long Enter(string path)
        {
            long r = Files.Stat(path, out FileStat st);
            if (r < 0) return r;
            if ((st.Mode & CffsLayout.TypeMask) != CffsLayout.Directory) return Fail(Errno.ENOTDIR);
            UserPaths.WorkingDirectory = UserPaths.Normalize(path);
            return 0;
        }

        public static long GetWorkingDirectory(ulong buffer, ulong size)
        {
            string cwd = UserPaths.WorkingDirectory;
            if (size == 0 && buffer != 0) return Fail(Errno.EINVAL);
            if (size < (ulong)cwd.Length + 1) return Fail(Errno.ERANGE);
            if (!UserPointers.Check(buffer, (ulong)cwd.Length + 1, true)) return Fail(Errno.EFAULT);
            for (int i = 0; i < cwd.Length; i++) ((byte*)buffer)[i] = (byte)cwd[i];
            ((byte*)buffer)[cwd.Length] = 0;
            return cwd.Length + 1;
        }

        public static long SetCreationMask(ulong mask)
        {
            uint old = UserPaths.CreationMask;
            UserPaths.CreationMask = (uint)mask & 0x1FF;
            return old;
        }

        public static long Access(ulong dirfd, ulong pathAddress, ulong mode, ulong flags)
        {
            const ulong ExecuteOk = 1;
            if ((mode & ~7UL) != 0 || (flags & ~(AtEAccess | AtSymlinkNoFollow | AtEmptyPath)) != 0) return Fail(Errno.EINVAL);
            long r = StatOf(dirfd, pathAddress, flags, out FileStat st, out _);
            if (r < 0) return r;
            if ((mode & ExecuteOk) != 0 && (st.Mode & CffsLayout.TypeMask) != CffsLayout.Directory && (st.Mode & 0x49) == 0) return Fail(Errno.EACCES);
            return 0;
        }

        /// <summary>The inode for (dirfd, path or null for dirfd itself, follow).</summary>
        private static long NodeOf(ulong dirfd, ulong pathAddress, bool emptyAllowed, bool follow, out Node node)
        {
            node = default;
            long r;
            string path = null;
            if (pathAddress != 0 || !emptyAllowed)
            {
                r = UserPaths.Resolve(dirfd, pathAddress, emptyAllowed, out path);
                if (r < 0) return r;
            }
            if (path == null)
            {
                OpenObject o = DescriptorTable.Get(dirfd, out r);
                return o == null ? r : o.Node(out node);
            }
            return Files.Volume.Lookup(path, follow, out node);
        }

        public static long SetTimes(ulong dirfd, ulong pathAddress, ulong times, ulong flags)
        {
            const long Now = (1 << 30) - 1, Omit = (1 << 30) - 2;
            if ((flags & ~(AtSymlinkNoFollow | AtEmptyPath)) != 0) return Fail(Errno.EINVAL);
            if (times != 0 && !UserPointers.Check(times, 32, false)) return Fail(Errno.EFAULT);
            long* t = (long*)times;
            if (times != 0)
                for (int i = 0; i < 2; i++)
                    if (t[2 * i + 1] != Now && t[2 * i + 1] != Omit && (ulong)t[2 * i + 1] >= 1_000_000_000) return Fail(Errno.EINVAL);
            long r = NodeOf(dirfd, pathAddress, true, (flags & AtSymlinkNoFollow) == 0, out Node node);
            if (r < 0) return r;
            r = Files.Volume.Stat(node, out FileStat st);
            if (r < 0) return r;
            ulong now = Clock.UnixSeconds;
            ulong atime = times == 0 || t[1] == Now ? now : t[1] == Omit ? st.Atime : (ulong)t[0];
            ulong mtime = times == 0 || t[3] == Now ? now : t[3] == Omit ? st.Mtime : (ulong)t[2];
            return Files.Volume.SetTimes(node, atime, mtime);
        }

        public static long ChangeMode(ulong dirfd, ulong pathAddress, ulong mode, bool onDescriptor)
        {
            long r = onDescriptor ? NodeOfDescriptor(dirfd, out Node node) : NodeOf(dirfd, pathAddress, false, true, out node);
            return r < 0 ? r : Files.Volume.Chmod(node, (uint)mode & 0xFFF);
        }

        public static long ChangeOwner(ulong dirfd, ulong pathAddress, ulong uid, ulong gid, ulong flags, bool onDescriptor)
        {
            if ((flags & ~(AtSymlinkNoFollow | AtEmptyPath)) != 0) return Fail(Errno.EINVAL);
            long r = onDescriptor ? NodeOfDescriptor(dirfd, out Node node) : NodeOf(dirfd, pathAddress, (flags & AtEmptyPath) != 0, (flags & AtSymlinkNoFollow) == 0, out node);
            if (r < 0) return r;
            r = Files.Volume.Stat(node, out FileStat st);
            if (r < 0) return r;
            return Files.Volume.Chown(node, (uint)uid == uint.MaxValue ? st.Uid : (uint)uid, (uint)gid == uint.MaxValue ? st.Gid : (uint)gid);
        }

        private static long NodeOfDescriptor(ulong fd, out Node node)
        {
            node = default;
            OpenObject o = DescriptorTable.Get(fd, out long r);
            return o == null ? r : o.Node(out node);
        }
    }
}
