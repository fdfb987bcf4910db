// Paths of the foreign process: read from its memory (every page checked: EFAULT; at most
// PathMax bytes with the terminator: ENAMETOOLONG) and made absolute against the working
// directory or a directory descriptor (the *at calls' dirfd, AT_FDCWD = -100). The working
// directory is kept as a normalized absolute path (lexically: "." and ".." folded), and so is a
// directory descriptor's. Without a volume only device paths (Devices) resolve; the rest are
// ENOENT. The creation mask (umask) lives here too. Missing: a working directory that follows
// a rename of itself.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class UserPaths
    {
        public const int PathMax = 4096;
        public const long AtFdCwd = -100;

        public static string WorkingDirectory = "/";
        public static uint CreationMask = 0x12;     // 022

        /// <summary>The zero-terminated string at address: 0 or -EFAULT / -ENAMETOOLONG.</summary>
        public static long Read(ulong address, out string path)
        {
            path = null;
            for (int n = 0; n < PathMax; n++)
            {
                ulong at = address + (ulong)n;
                if ((n == 0 || (at & 4095) == 0) && !UserPointers.Check(at, 1, false)) return -(long)Errno.EFAULT;
                if (*(byte*)at == 0)
                {
                    path = new string((sbyte*)address, 0, n);
                    return 0;
                }
            }
            return -(long)Errno.ENAMETOOLONG;
        }

        /// <summary>The absolute path for (dirfd, the path at address): 0 or -errno. An empty path is
        /// ENOENT unless emptyAllowed (AT_EMPTY_PATH), when the result is null and the caller acts
        /// on dirfd itself.</summary>
        public static long Resolve(ulong dirfd, ulong address, bool emptyAllowed, out string absolute)
        {
            absolute = null;
            long r = Read(address, out string path);
            if (r < 0) return r;
            if (path.Length == 0) return emptyAllowed ? 0 : -(long)Errno.ENOENT;
            if (path[0] == '/')
            {
                absolute = path;
                return Files.Volume == null && !Devices.Is(Normalize(path)) ? -(long)Errno.ENOENT : 0;
            }
            if (Files.Volume == null) return -(long)Errno.ENOENT;
            string base_;
            if ((int)dirfd == (int)AtFdCwd) base_ = WorkingDirectory;
            else
            {
                OpenObject o = DescriptorTable.Get(dirfd, out r);
                if (o == null) return r;
                base_ = o.DirectoryPath;
                if (base_ == null) return -(long)Errno.ENOTDIR;
            }
            absolute = base_.Length > 0 && base_[base_.Length - 1] == '/' ? base_ + path : base_ + "/" + path;
            return 0;
        }

        /// <summary>An absolute path with "//", "." and ".." folded (".." of "/" is "/").</summary>
        public static string Normalize(string path)
        {
            char[] out_ = new char[path.Length + 1];
            int n = 0;
            int i = 0;
            while (i < path.Length)
            {
                while (i < path.Length && path[i] == '/') i++;
                int s = i;
                while (i < path.Length && path[i] != '/') i++;
                int length = i - s;
                if (length == 0 || (length == 1 && path[s] == '.')) continue;
                if (length == 2 && path[s] == '.' && path[s + 1] == '.')
                {
                    while (n > 0 && out_[n - 1] != '/') n--;
                    if (n > 0) n--;
                    continue;
                }
                out_[n++] = '/';
                for (int k = s; k < i; k++) out_[n++] = path[k];
            }
            if (n == 0) return "/";
            fixed (char* chars = out_) return new string(chars, 0, n);
        }
    }
}
