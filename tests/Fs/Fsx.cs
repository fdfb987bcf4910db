// An fsx-style exerciser: seeded random operations on C-FFS (create, write, read, truncate, unlink,
// rename, link, mkdir, rmdir, stat, remount) checked against an in-memory shadow after each step,
// with the whole tree compared after every remount. One file, /big, takes writes and truncates far
// past 64 MiB (a sparse file). Every operation is logged; on a mismatch the log (replayable: same
// seed, same operations) is written to a file named in the failure. FSX_SEED and FSX_OPS override.
using System.Text;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.Tools.FsImage;
using Xunit;

namespace ExoSharp.Tests.Fs
{
    public sealed class Fsx
    {
        private sealed class Shadow
        {
            public byte[] Bytes = new byte[0];
            public long Length;

            public void SetLength(long length)
            {
                if (length > Bytes.Length)
                {
                    var bigger = new byte[Math.Max(length, Math.Min(Bytes.Length * 2L, 96L << 20))];
                    Array.Copy(Bytes, bigger, Length);
                    Bytes = bigger;
                }
                else if (length < Length) Array.Clear(Bytes, (int)length, (int)(Length - length));
                Length = length;
            }
        }

        private readonly FsRig _rig;
        private readonly Random _random;
        private readonly int _seed;
        private readonly Dictionary<string, Shadow> _files = new();
        private readonly List<string> _dirs = new() { "/" };
        private readonly List<string> _log = new();
        public const string Big = "/big";
        public const long BigLimit = 72L << 20, SmallLimit = 256 << 10;
        public long MaxBigSize;
        public int Remounts;

        public Fsx(int seed, uint blocks)
        {
            _seed = seed;
            _random = new Random(seed);
            _rig = new FsRig(blocks);
        }

        private void Log(string op) => _log.Add(op);

        private void Check(bool ok, string what)
        {
            if (ok) return;
            string path = Path.Combine(Path.GetTempPath(), $"fsx-{_seed}.log");
            File.WriteAllLines(path, _log);
            Assert.Fail($"fsx seed {_seed}, op {_log.Count}: {what} (log: {path})");
        }

        private string Dir() => _dirs[_random.Next(_dirs.Count)];
        private static string Join(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;
        private string AnyFile() => _files.Count == 0 ? null : _files.Keys.ElementAt(_random.Next(_files.Count));

        public void Run(int ops)
        {
            _rig.Make(Big);
            _files[Big] = new Shadow();
            for (int i = 0; i < ops; i++)
            {
                int pick = _random.Next(100);
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                Step(pick);
                Times[pick] += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
            }
            Remount();
        }

        public readonly long[] Times = new long[100];

        private void Step(int pick)
        {
            {
                if (pick < 25) Write();
                else if (pick < 45) Read();
                else if (pick < 52) Truncate();
                else if (pick < 62) Create();
                else if (pick < 68) Unlink();
                else if (pick < 75) Rename();
                else if (pick < 78) Link();
                else if (pick < 82) Mkdir();
                else if (pick < 84) Rmdir();
                else if (pick < 96) Stat();
                else
                {
                    int r = _random.Next(1000);
                    if (r < 3) Remount();
                    else if (r < 100) BigWrite();
                    else Stat();
                }
            }
        }

        private unsafe void Write()
        {
            string f = AnyFile();
            if (f == null) return;
            Shadow s = _files[f];
            long limit = f == Big ? BigLimit : SmallLimit;
            long offset = _random.Next(0, (int)Math.Min(limit, s.Length + 65536));
            int length = _random.Next(1, 65537);
            if (offset + length > limit) length = (int)(limit - offset);
            if (length <= 0) return;
            var bytes = new byte[length];
            _random.NextBytes(bytes);
            Log($"write {f} {offset} {length}");
            long r = _rig.Write(_rig.Find(f), (ulong)offset, bytes);
            Check(r == length, $"write returned {r}");
            if (offset + length > s.Length) s.SetLength(offset + length);
            Array.Copy(bytes, 0, s.Bytes, offset, length);
            if (f == Big) MaxBigSize = Math.Max(MaxBigSize, s.Length);
        }

        private void BigWrite()
        {
            Shadow s = _files[Big];
            long offset = (long)(_random.NextDouble() * (BigLimit - (1 << 20)));
            var bytes = new byte[_random.Next(1, 1 << 20)];
            _random.NextBytes(bytes);
            Log($"write {Big} {offset} {bytes.Length}");
            long r = _rig.Write(_rig.Find(Big), (ulong)offset, bytes);
            Check(r == bytes.Length, $"big write returned {r}");
            if (offset + bytes.Length > s.Length) s.SetLength(offset + bytes.Length);
            Array.Copy(bytes, 0, s.Bytes, offset, bytes.Length);
            MaxBigSize = Math.Max(MaxBigSize, s.Length);
        }

        private void Read()
        {
            string f = AnyFile();
            if (f == null) return;
            Shadow s = _files[f];
            long offset = s.Length == 0 ? 0 : (long)(_random.NextDouble() * (s.Length + 100));
            int length = _random.Next(1, 65537);
            Log($"read {f} {offset} {length}");
            byte[] got = _rig.Read(_rig.Find(f), (ulong)offset, length);
            long expected = Math.Max(0, Math.Min(length, s.Length - offset));
            Check(got.Length == expected, $"read {got.Length} bytes, expected {expected}");
            for (int i = 0; i < got.Length; i++)
                if (got[i] != s.Bytes[offset + i]) Check(false, $"byte {offset + i} of {f} is {got[i]}, expected {s.Bytes[offset + i]}");
        }

        private void Truncate()
        {
            string f = AnyFile();
            if (f == null) return;
            Shadow s = _files[f];
            long limit = f == Big ? BigLimit : SmallLimit;
            long size = _random.Next(3) == 0 ? 0 : (long)(_random.NextDouble() * Math.Min(limit, s.Length + 100000));
            Log($"truncate {f} {size}");
            long r = _rig.Fs.Truncate(_rig.Find(f), (ulong)size);
            Check(r == 0, $"truncate returned {r}");
            s.SetLength(size);
        }

        private void Create()
        {
            string path = Join(Dir(), $"f{_random.Next(30)}");
            Log($"create {path}");
            long r = _rig.Fs.Create(path, 0x1A4, 0, 0, out _);
            bool exists = _files.ContainsKey(path) || _dirs.Contains(path);
            Check(exists ? r == -(long)Errno.EEXIST : r == 0, $"create returned {r}");
            if (!exists) _files[path] = new Shadow();
        }

        private void Unlink()
        {
            string f = AnyFile();
            if (f == null || f == Big) return;
            Log($"unlink {f}");
            long r = _rig.Fs.Unlink(f);
            Check(r == 0, $"unlink returned {r}");
            _files.Remove(f);
        }

        private void Rename()
        {
            string f = AnyFile();
            if (f == null || f == Big) return;
            string to = Join(Dir(), $"f{_random.Next(30)}");
            if (_dirs.Contains(to) || to == Big) return;
            Log($"rename {f} {to}");
            long r = _rig.Fs.Rename(f, to);
            Check(r == 0, $"rename returned {r}");
            Shadow s = _files[f];
            if (_files.TryGetValue(to, out Shadow t) && t == s) return;   // two links to one file: rename does nothing
            _files.Remove(f);
            _files[to] = s;
        }

        private void Link()
        {
            string f = AnyFile();
            if (f == null || f == Big) return;
            string to = Join(Dir(), $"f{_random.Next(30)}");
            Log($"link {f} {to}");
            long r = _rig.Fs.Link(f, to);
            bool exists = _files.ContainsKey(to) || _dirs.Contains(to);
            Check(exists ? r == -(long)Errno.EEXIST : r == 0, $"link returned {r}");
            if (!exists) _files[to] = _files[f];
        }

        private void Mkdir()
        {
            if (_dirs.Count > 12) return;
            string parent = Dir();
            if (parent.Count(c => c == '/') >= 3) return;
            string path = Join(parent, $"d{_random.Next(4)}");
            Log($"mkdir {path}");
            long r = _rig.Fs.Mkdir(path, 0x1ED);
            bool exists = _files.ContainsKey(path) || _dirs.Contains(path);
            Check(exists ? r == -(long)Errno.EEXIST : r == 0, $"mkdir returned {r}");
            if (!exists) _dirs.Add(path);
        }

        private void Rmdir()
        {
            string d = Dir();
            if (d == "/") return;
            bool empty = !_files.Keys.Any(k => k.StartsWith(d + "/")) && !_dirs.Any(k => k.StartsWith(d + "/"));
            Log($"rmdir {d}");
            long r = _rig.Fs.Rmdir(d);
            Check(empty ? r == 0 : r == -(long)Errno.ENOTEMPTY, $"rmdir returned {r}");
            if (empty) _dirs.Remove(d);
        }

        private void Stat()
        {
            string f = AnyFile();
            if (f == null) return;
            Log($"stat {f}");
            long r = _rig.Fs.Stat(f, true, out FileStat st);
            Check(r == 0 && (long)st.Size == _files[f].Length, $"stat returned {r}, size {st.Size}, expected {_files[f].Length}");
            int links = _files.Values.Count(v => v == _files[f]);
            Check(st.Nlink == links, $"{f}: nlink {st.Nlink}, expected {links}");
        }

        /// <summary>Sync, remount from the disk alone, check XN and fsck, and compare every file.</summary>
        public void Remount()
        {
            Log("remount");
            Remounts++;
            _rig.RemountAndCheck();
            foreach (var (path, s) in _files)
            {
                long r = _rig.Fs.Stat(path, true, out FileStat st);
                Check(r == 0 && (long)st.Size == s.Length, $"after remount {path}: {r}, size {st.Size}, expected {s.Length}");
                Node n = _rig.Find(path);
                for (long at = 0; at < s.Length; at += 1 << 20)
                {
                    int length = (int)Math.Min(1 << 20, s.Length - at);
                    byte[] got = _rig.Read(n, (ulong)at, length);
                    Check(got.AsSpan().SequenceEqual(s.Bytes.AsSpan((int)at, length)), $"after remount {path} differs in [{at}, {at + length})");
                }
            }
            var names = new HashSet<string>(Tree.Walk(_rig.Fs, "/").Select(i => i.Path));
            Check(names.SetEquals(_files.Keys.Concat(_dirs.Where(d => d != "/"))), "after remount the tree's names differ");
        }
    }
}
