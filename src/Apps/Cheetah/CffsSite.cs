// Cheetah's site on ExOS's C-FFS system volume: a directory of the volume is the site's root,
// and a request's normalised path is looked up below it. Reads go through the file system's
// ReadAt (XN's buffer cache, then a copy). Symbolic links inside the site are not followed (404),
// so none can name a file outside it. Missing: the path strings are made per lookup (allocated),
// and each component is looked up from the volume's root again.
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using CffsFileSystem = ExoSharp.LibOS.ExOS.Cffs.FileSystem;

namespace ExoSharp.Apps.Cheetah
{
    internal sealed unsafe class CffsSite : ISite
    {
        private const uint TypeMask = 0xF000, Directory = 0x4000, Regular = 0x8000, SymbolicLink = 0xA000;
        private readonly CffsFileSystem _fs;
        private readonly string _root;

        /// <summary>root: an absolute directory of the volume ("" or "/" for the whole volume).</summary>
        public CffsSite(CffsFileSystem fs, string root)
        {
            _fs = fs;
            _root = root == "/" ? "" : root;
        }

        /// <summary>Mounts the system volume and opens the site at root: null, with the reason,
        /// when there is no file system or root is not a directory.</summary>
        public static CffsSite Open(string root, out string problem)
        {
            problem = null;
            long r = Files.Mount();
            if (r < 0) { problem = "no file system (error " + r.ToString() + ")"; return null; }
            if (Files.Stat(root, out FileStat st) < 0 || (st.Mode & TypeMask) != Directory) { problem = "no site directory " + root; return null; }
            return new CffsSite(Files.Volume, root);
        }

        public bool Lookup(byte* path, int length, out SiteFile file)
        {
            file = default;
            Node node;
            if (length == 1)
            {
                if (_fs.Lookup(_root.Length == 0 ? "/" : _root, true, out node) < 0) return false;
            }
            else
            {
                // Each component below the root on its own, a symbolic link refused (a link could
                // name a file outside the site).
                string full = _root + new string((sbyte*)path, 0, length);
                node = default;
                for (int i = _root.Length + 1; i <= full.Length; i++)
                {
                    if (i < full.Length && full[i] != '/') continue;
                    if (_fs.Lookup(i == full.Length ? full : full.Substring(0, i), false, out node) < 0) return false;
                    if ((_fs.ModeOf(node) & TypeMask) == SymbolicLink) return false;
                }
            }
            if (_fs.Stat(node, out FileStat st) < 0) return false;
            uint type = st.Mode & TypeMask;
            if (type != Directory && type != Regular) return false;
            file.Handle = ((ulong)node.Block << 32) | (uint)node.Slot;
            file.Id = st.Ino;
            file.Size = st.Size;
            file.Modified = st.Mtime;
            file.Directory = type == Directory;
            return true;
        }

        public long Read(ref SiteFile file, ulong offset, byte* into, int count) =>
            _fs.ReadAt(new Node((uint)(file.Handle >> 32), (int)(uint)file.Handle), offset, into, (ulong)count);
    }
}
