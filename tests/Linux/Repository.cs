// Where the repository is (the folder with the Makefile, found upwards from the test binary),
// for the tests that read its files: the busybox binary, docs/linux.md, the dispatcher.
namespace ExoSharp.Tests.Linux
{
    internal static class Repository
    {
        public static string Root
        {
            get
            {
                string dir = AppContext.BaseDirectory;
                while (dir != null && !File.Exists(Path.Combine(dir, "Makefile"))) dir = Path.GetDirectoryName(dir);
                return dir ?? ".";
            }
        }
    }
}
