// tools/fsimage: C-FFS images on the host. Verbs:
//   make IMAGE DIR [MIB]   a new image (MIB MiB; default 64, or twice the tree) holding DIR's tree: files, directories,
//                          symbolic links, modes, owners, times
//   list IMAGE             every path with its mode, size and link target
//   extract IMAGE DIR      the image's tree written under DIR, never outside it (a hostile image's ".", ".."
//                          or twice-held names are refused, as is a name already in DIR)
//   check IMAGE            fsck: XN's mount walk, then the file system's own invariants
// Exit status 0 on success; errors on stderr. Uses the guest's own XN and file-system code.
using System.Text;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.Tools.FsImage
{
    public static unsafe class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                if (args.Length >= 3 && args[0] == "make") return Make(args[1], args[2], args.Length > 3 ? uint.Parse(args[3]) : AutoSize(args[2]));
                if (args.Length == 2 && args[0] == "list") return List(args[1]);
                if (args.Length == 3 && args[0] == "extract") return Extract(args[1], args[2]);
                if (args.Length == 2 && args[0] == "check") return Check(args[1]);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                Console.Error.WriteLine($"fsimage: {e.Message}");
                return 1;
            }
            Console.Error.WriteLine("usage: fsimage make IMAGE DIR [MIB] | list IMAGE | extract IMAGE DIR | check IMAGE");
            return 2;
        }

        private static Image OpenImage(string path)
        {
            var image = new Image(new ImageDisk(path, 0, false), false);
            if (image.Fs == null) throw new InvalidOperationException($"{path}: no C-FFS root \"{Image.RootName}\"");
            return image;
        }

        /// <summary>64 MiB, or room for twice the tree's bytes.</summary>
        private static uint AutoSize(string dir)
        {
            long bytes = 0;
            if (Directory.Exists(dir))
                foreach (string f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) bytes += new FileInfo(f).Length;
            return (uint)Math.Max(64, 2 * (bytes >> 20) + 16);
        }

        private static int Make(string path, string dir, uint mib)
        {
            if (!Directory.Exists(dir)) { Console.Error.WriteLine($"fsimage: {dir}: not a directory"); return 1; }
            var image = new Image(new ImageDisk(path, mib * 256, true), true);
            if (image.Fs == null) { Console.Error.WriteLine("fsimage: cannot make the file system"); return 1; }
            long r = Tree.Copy(image.Fs, dir, "/");
            if (r < 0) { Console.Error.WriteLine($"fsimage: {(Errno)(-r)} while copying {dir}"); return 1; }
            image.Fs.Sync();
            image.Disk.Dispose();
            return 0;
        }

        private static int List(string path)
        {
            Image image = OpenImage(path);
            foreach (string line in Tree.Describe(image.Fs, "/")) Console.WriteLine(line);
            return 0;
        }

        private static int Extract(string path, string dir)
        {
            Image image = OpenImage(path);
            Directory.CreateDirectory(dir);
            long r = Tree.Extract(image.Fs, "/", dir);
            if (r < 0) { Console.Error.WriteLine($"fsimage: {(Errno)(-r)}"); return 1; }
            return 0;
        }

        private static int Check(string path)
        {
            var image = new Image(new ImageDisk(path, 0, false), false);
            var problems = new List<string>();
            foreach (var p in image.Report.Problems.ToArray()) problems.Add($"xn: error {p.Error} at block {p.Block}, named by block {p.Parent}");
            if (image.Fs == null) problems.Add($"no C-FFS root \"{Image.RootName}\"");
            else problems.AddRange(Tree.Check(image.Fs));
            foreach (string p in problems) Console.WriteLine(p);
            Console.WriteLine(problems.Count == 0 ? $"{path}: consistent" : $"{path}: {problems.Count} problems");
            return problems.Count == 0 ? 0 : 1;
        }
    }
}
