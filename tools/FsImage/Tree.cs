// Whole trees between the host and a C-FFS volume: copy a host directory in, describe or extract
// the volume's tree, and check the file system's own invariants (fsck above XN's mount walk):
// every entry's inode readable, no data mapped past a file's size, directories' parents right,
// external inodes' link counts equal to the entries naming them, no entry named "." or "..".
// Extracting never writes outside the host directory (HostPath refuses ".", "..", names held
// twice and paths through links).
using System.Text;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.Tools.FsImage
{
    public static unsafe class Tree
    {
        public struct Item
        {
            public string Path;
            public FileStat Stat;
        }

        /// <summary>Every entry under dir (depth first, directory before its contents).</summary>
        public static List<Item> Walk(FileSystem fs, string dir)
        {
            var items = new List<Item>();
            WalkInto(fs, dir, items, 0);
            return items;
        }

        private static void WalkInto(FileSystem fs, string dir, List<Item> items, int depth)
        {
            if (depth > 64 || fs.Lookup(dir, false, out Node node) < 0) return;
            ulong cookie = 0;
            byte* name = stackalloc byte[CffsLayout.NameMax + 1];
            var names = new List<string>();
            while (fs.ReadDir(node, ref cookie, name, out int length, out _, out _) == 1)
                names.Add(Encoding.Latin1.GetString(name, length));
            names.Sort(StringComparer.Ordinal);
            foreach (string n in names)
            {
                string path = dir == "/" ? "/" + n : dir + "/" + n;
                if (fs.Stat(path, false, out FileStat st) < 0) continue;
                items.Add(new Item { Path = path, Stat = st });
                if ((st.Mode & CffsLayout.TypeMask) == CffsLayout.Directory) WalkInto(fs, path, items, depth + 1);
            }
        }

        public static string Target(FileSystem fs, string path)
        {
            byte* buffer = stackalloc byte[CffsLayout.BlockSize];
            long n = fs.ReadLink(path, buffer, CffsLayout.BlockSize);
            return n < 0 ? "" : Encoding.Latin1.GetString(buffer, (int)n);
        }

        public static IEnumerable<string> Describe(FileSystem fs, string dir)
        {
            foreach (Item i in Walk(fs, dir))
            {
                string kind = (i.Stat.Mode & CffsLayout.TypeMask) switch { CffsLayout.Directory => "d", CffsLayout.Symlink => "l", _ => "-" };
                string line = $"{kind} {Convert.ToString(i.Stat.Mode & 0xFFF, 8).PadLeft(4, '0')} {i.Stat.Uid}:{i.Stat.Gid} {i.Stat.Nlink} {i.Stat.Size,10} {i.Path}";
                if (kind == "l") line += " -> " + Target(fs, i.Path);
                yield return line;
            }
        }

        /// <summary>Copies the host directory `from` into the volume's directory `to` (which exists).</summary>
        public static long Copy(FileSystem fs, string from, string to)
        {
            var entries = new List<string>(Directory.EnumerateFileSystemEntries(from));
            entries.Sort(StringComparer.Ordinal);
            foreach (string host in entries)
            {
                string name = System.IO.Path.GetFileName(host);
                string path = to == "/" ? "/" + name : to + "/" + name;
                var info = new FileInfo(host);
                uint mode = (uint)File.GetUnixFileMode(host) & 0xFFF;
                long r;
                if (info.LinkTarget != null)
                    r = fs.Symlink(info.LinkTarget, path);
                else if (Directory.Exists(host))
                {
                    r = fs.Mkdir(path, mode);
                    if (r == 0) r = Copy(fs, host, path);
                }
                else
                {
                    r = fs.Create(path, mode, 0, 0, out Node node);
                    if (r == 0) r = CopyFile(fs, node, host);
                }
                if (r < 0) return r;
                if (info.LinkTarget == null && fs.Lookup(path, false, out Node n) == 0)
                {
                    ulong t = (ulong)Math.Max(0, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds());
                    fs.SetTimes(n, t, t);
                }
            }
            return 0;
        }

        private static long CopyFile(FileSystem fs, Node node, string host)
        {
            using var stream = File.OpenRead(host);
            var buffer = new byte[1 << 16];
            ulong at = 0;
            int got;
            while ((got = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                bool zero = true;
                for (int i = 0; i < got && zero; i++) zero = buffer[i] == 0;
                if (!zero)                                      // runs of zeros stay holes
                {
                    long r;
                    fixed (byte* b = buffer) r = fs.WriteAt(node, at, b, (ulong)got);
                    if (r < 0) return r;
                }
                at += (ulong)got;
            }
            return fs.Truncate(node, at);
        }

        /// <summary>Writes the volume's tree under dir into the host directory `to`.</summary>
        public static long Extract(FileSystem fs, string dir, string to)
        {
            foreach (Item i in Walk(fs, dir))
            {
                string host = HostPath(to, i.Path);
                uint type = i.Stat.Mode & CffsLayout.TypeMask;
                if (type == CffsLayout.Directory) { Directory.CreateDirectory(host); continue; }
                if (type == CffsLayout.Symlink) { File.CreateSymbolicLink(host, Target(fs, i.Path)); continue; }
                long r = fs.Lookup(i.Path, false, out Node node);
                if (r < 0) return r;
                using (var stream = File.Create(host))
                {
                    var buffer = new byte[CffsLayout.BlockSize];
                    for (ulong at = 0; at < i.Stat.Size;)
                    {
                        if (fs.PhysicalBlock(node, (uint)(at / CffsLayout.BlockSize)) == 0)
                        {
                            at += CffsLayout.BlockSize - at % CffsLayout.BlockSize;     // a hole stays a hole
                            continue;
                        }
                        long n;
                        fixed (byte* b = buffer) n = fs.ReadAt(node, at, b, CffsLayout.BlockSize - at % CffsLayout.BlockSize);
                        if (n <= 0) return n < 0 ? n : -(long)Errno.EIO;
                        stream.Position = (long)at;
                        stream.Write(buffer, 0, (int)n);
                        at += (ulong)n;
                    }
                    stream.SetLength((long)i.Stat.Size);
                }
                File.SetUnixFileMode(host, (UnixFileMode)(i.Stat.Mode & 0xFFF));
            }
            return 0;
        }

        /// <summary>Where the image's path goes under the host directory `to`: refused (an
        /// InvalidOperationException) when a hostile image's names would lead outside it (".", ".."
        /// or an empty component), through something already made there (a symbolic link or a name
        /// the image holds twice), so extracting never writes outside `to`.</summary>
        private static string HostPath(string to, string path)
        {
            string root = System.IO.Path.GetFullPath(to);
            string at = root;
            string[] parts = path.TrimStart('/').Split('/');
            for (int k = 0; k < parts.Length; k++)
            {
                string part = parts[k];
                if (part.Length == 0 || part == "." || part == ".." || part.IndexOf('\0') >= 0)
                    throw new InvalidOperationException($"refusing to extract {path}: a name that is not one component");
                at = System.IO.Path.Combine(at, part);
                var info = new FileInfo(at);
                bool last = k == parts.Length - 1;
                if (info.LinkTarget != null || (last && (info.Exists || Directory.Exists(at))) || (!last && info.Exists))
                    throw new InvalidOperationException($"refusing to extract {path}: {at} is already there (a name held twice, or through a link)");
            }
            if (!at.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidOperationException($"refusing to extract {path}: outside {root}");
            return at;
        }

        /// <summary>The file system's own invariants over the whole tree; one line per problem.</summary>
        public static List<string> Check(FileSystem fs)
        {
            var problems = new List<string>();
            var references = new Dictionary<ulong, uint>();
            var nlinks = new Dictionary<ulong, uint>();
            foreach (Item i in Walk(fs, "/"))
            {
                uint type = i.Stat.Mode & CffsLayout.TypeMask;
                string name = i.Path.Substring(i.Path.LastIndexOf('/') + 1);
                if (name == "." || name == "..")
                    problems.Add($"{i.Path}: an entry named {name} (never stored)");
                if (type != CffsLayout.Regular && type != CffsLayout.Directory && type != CffsLayout.Symlink)
                    problems.Add($"{i.Path}: bad mode {Convert.ToString(i.Stat.Mode, 8)}");
                if (type != CffsLayout.Directory && i.Stat.Blocks * CffsLayout.BlockSize > ((i.Stat.Size + 4095) & ~4095UL) + 0)
                    problems.Add($"{i.Path}: {i.Stat.Blocks} blocks mapped for {i.Stat.Size} bytes");
                if (type != CffsLayout.Directory)
                {
                    references[i.Stat.Ino] = references.GetValueOrDefault(i.Stat.Ino) + 1;
                    nlinks[i.Stat.Ino] = i.Stat.Nlink;
                }
                if (type == CffsLayout.Directory && (fs.Stat(i.Path + "/..", false, out FileStat up) < 0 ||
                    fs.Stat(i.Path.Substring(0, Math.Max(1, i.Path.LastIndexOf('/'))), false, out FileStat parent) < 0 || up.Ino != parent.Ino))
                    problems.Add($"{i.Path}: its .. is not its parent");
            }
            foreach (var (ino, count) in references)
                if (nlinks[ino] != count) problems.Add($"inode {ino}: link count {nlinks[ino]}, {count} entries");
            return problems;
        }
    }
}
