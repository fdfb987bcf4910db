// Copies a data module (tools/run.sh --file HOST=NAME) into ExOS's file system, executable
// (0755), making the missing directories on the way: `linux -put NAME /PATH ...` (LinuxRunner)
// puts a Linux binary on the disk for execve to find by path (docs/linux.md).
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Foreign
{
    internal static unsafe class FsPut
    {
        /// <summary>Null, or why the module could not be written to path.</summary>
        public static string Put(string name, string path)
        {
            if (path.Length < 2 || path[0] != '/') return "'" + path + "' is not an absolute path";
            int module = BootModules.FindFile(name);
            if (module < 0) return "no boot module file named '" + name + "'";
            long r = Files.Mount();
            if (r < 0) return "no file system: error " + r.ToString();
            for (int i = 1; i < path.Length; i++)
                if (path[i] == '/') Files.Mkdir(path.Substring(0, i), 0x1ED);      // EEXIST is fine
            long fd = Files.Open(path, Files.WriteOnly | Files.Create | Files.TruncateOnOpen, 0x1ED);
            if (fd < 0) return "open " + path + ": error " + fd.ToString();
            byte* image = BootModules.Image(module);
            ulong size = BootModules.Size(module), done = 0;
            while (done < size)
            {
                ulong chunk = size - done > 65536 ? 65536 : size - done;
                long n = Files.Write((int)fd, image + done, chunk);
                if (n <= 0) { Files.Close((int)fd); return "write " + path + ": error " + n.ToString(); }
                done += (ulong)n;
            }
            Files.Close((int)fd);
            System.Console.WriteLine("linux: put " + done.ToString() + " bytes of " + name + " at " + path);
            return null;
        }
    }
}
