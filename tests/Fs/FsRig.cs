// A C-FFS volume on an in-memory disk for the tests (tools/FsImage's Image), with byte-array
// helpers over the file system's pointer API and a check that trusts nothing but the disk:
// remount from what was written and require XN's mount walk and fsck to find no problem.
using System.Text;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.Tools.FsImage;
using Xunit;

namespace ExoSharp.Tests.Fs
{
    public sealed unsafe class FsRig
    {
        public Image Image;
        public FileSystem Fs => Image.Fs;

        public FsRig(uint blocks = 4096, int cache = 512)
        {
            Image = new Image(new ImageDisk(blocks), true, cache);
            Assert.NotNull(Image.Fs);
        }

        public Node Make(string path, byte[] bytes = null, uint mode = 0x1A4)
        {
            Assert.Equal(0, Fs.Create(path, mode, 0, 0, out Node node));
            if (bytes != null && bytes.Length > 0) Assert.Equal(bytes.Length, Write(node, 0, bytes));
            return node;
        }

        public long Write(Node node, ulong offset, byte[] bytes)
        {
            fixed (byte* b = bytes) return Fs.WriteAt(node, offset, b, (ulong)bytes.Length);
        }

        public byte[] Read(Node node, ulong offset, int length)
        {
            var bytes = new byte[length];
            long n;
            fixed (byte* b = bytes) n = Fs.ReadAt(node, offset, b, (ulong)length);
            Assert.True(n >= 0, $"read: {(Errno)(-n)}");
            return bytes.AsSpan(0, (int)n).ToArray();
        }

        public byte[] ReadAll(string path)
        {
            Assert.Equal(0, Fs.Lookup(path, true, out Node node));
            Assert.Equal(0, Fs.Stat(node, out FileStat st));
            return Read(node, 0, (int)st.Size);
        }

        public Node Find(string path)
        {
            long r = Fs.Lookup(path, true, out Node node);
            Assert.True(r == 0, $"{path}: {(Errno)(-r)}");
            return node;
        }

        public List<string> Names(string dir)
        {
            var names = new List<string>();
            Node node = Find(dir);
            ulong cookie = 0;
            byte* name = stackalloc byte[CffsLayout.NameMax + 1];
            while (Fs.ReadDir(node, ref cookie, name, out int length, out _, out _) == 1) names.Add(Encoding.Latin1.GetString(name, length));
            names.Sort(StringComparer.Ordinal);
            return names;
        }

        /// <summary>Syncs, remounts from the disk alone and requires no problem from XN or fsck.</summary>
        public void RemountAndCheck()
        {
            Assert.Equal(0, Fs.Sync());
            Assert.Equal(0, Image.Remount(false));
            AssertConsistent();
        }

        public void AssertConsistent()
        {
            Assert.True(Image.Report.IsConsistent, "XN's mount found problems: " + string.Join(", ", Image.Report.Problems.ToArray().Select(p => $"{p.Error}@{p.Block}<-{p.Parent}")));
            Assert.NotNull(Image.Fs);
            List<string> problems = Tree.Check(Image.Fs);
            Assert.True(problems.Count == 0, string.Join("; ", problems));
        }

        public static byte[] Pattern(int length, int seed)
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }
    }
}
