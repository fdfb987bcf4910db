// mount(2) and umount2(2) as far as a program that mounts proc needs: the one file system type
// known here is proc, at /proc, recorded per process (a fork's child inherits it); its files are
// not served yet, so paths under /proc resolve as before (ENOENT without such files on the
// volume). Every argument is checked: bad pointers EFAULT, an unknown type ENODEV, flags other
// than the per-mount options (and the old magic in the high half) EINVAL. Missing: bind mounts,
// remounts, propagation, other file system types, a mount table shared by the whole tree.
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class Mounts
    {
        private const ulong Magic = 0xC0ED_0000, MagicMask = 0xFFFF_0000;
        // MS_RDONLY, NOSUID, NODEV, NOEXEC, SYNCHRONOUS, NOATIME, NODIRATIME, SILENT, RELATIME, STRICTATIME, LAZYTIME
        private const ulong Options = 1 | 2 | 4 | 8 | 16 | 1024 | 2048 | 32768 | (1 << 21) | (1 << 24) | (1 << 25);
        private const ulong UnmountFlags = 1 | 2 | 4 | 8;      // MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW

        /// <summary>Whether proc is mounted at /proc.</summary>
        public static bool ProcMounted { get; private set; }

        /// <summary>mount(source, target, type, flags, data).</summary>
        public static long Mount(ulong source, ulong target, ulong type, ulong flags, ulong data)
        {
            if ((flags & MagicMask) == Magic) flags &= ~MagicMask;
            if ((flags & ~Options) != 0) return -(long)Errno.EINVAL;        // remount, bind, move, propagation: not here
            if (source != 0 && UserPointers.String(source, UserPaths.PathMax) == null) return -(long)Errno.EFAULT;
            if (data != 0 && !UserPointers.Check(data, 1, false)) return -(long)Errno.EFAULT;
            if (type == 0) return -(long)Errno.EINVAL;
            string kind = UserPointers.String(type, 256);
            if (kind == null) return -(long)Errno.EFAULT;
            long r = Absolute(target, out string path);
            if (r < 0) return r;
            if (kind != "proc") return -(long)Errno.ENODEV;
            if (path != "/proc") return -(long)Errno.EINVAL;                  // proc's only place here
            if (ProcMounted) return -(long)Errno.EBUSY;
            ProcMounted = true;
            return 0;
        }

        /// <summary>umount2(target, flags).</summary>
        public static long Unmount(ulong target, ulong flags)
        {
            if ((flags & ~UnmountFlags) != 0 || (flags & 5) == 5) return -(long)Errno.EINVAL;   // MNT_EXPIRE with MNT_FORCE
            long r = Absolute(target, out string path);
            if (r < 0) return r;
            if (path != "/proc" || !ProcMounted) return -(long)Errno.EINVAL;  // not a mount point
            ProcMounted = false;
            return 0;
        }

        private static long Absolute(ulong address, out string path)
        {
            long r = UserPaths.Read(address, out path);
            if (r < 0) return r;
            if (path.Length == 0) return -(long)Errno.ENOENT;
            path = UserPaths.Normalize(path[0] == '/' ? path : UserPaths.WorkingDirectory + "/" + path);
            return 0;
        }
    }
}
