// `linux NAME [ARGS...]`: runs the static Linux binary that tools/run.sh gave as the data
// module NAME (--file HOST=NAME), with argv = NAME ARGS and a small environment, under the
// Linux library OS (src/LibOS/Linux/Runtime). The run's status is the program's exit status.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.Apps.Foreign
{
    internal static unsafe class LinuxRunner
    {
        public static int Main(string arguments)
        {
            string[] argv = Split(arguments);
            if (argv.Length == 0)
            {
                System.Console.WriteLine("linux: usage: linux NAME [ARGS...] (NAME: a --file boot module)");
                return 2;
            }
            int module = BootModules.FindFile(argv[0]);
            if (module < 0)
            {
                System.Console.WriteLine("linux: no boot module file named '" + argv[0] + "' (tools/run.sh --file HOST=NAME)");
                return 2;
            }
            string[] environment = { "PATH=/bin:/usr/bin", "HOME=/", "TERM=dumb" };
            string why = LinuxProcess.Run(BootModules.Image(module), BootModules.Size(module), argv, environment);
            System.Console.WriteLine("linux: cannot run '" + argv[0] + "': " + why);
            return 126;
        }

        private static string[] Split(string text)
        {
            int count = 0;
            for (int i = 0; i < text.Length; i++)
                if (text[i] != ' ' && (i == 0 || text[i - 1] == ' ')) count++;
            var words = new string[count];
            int w = 0;
            for (int i = 0; i < text.Length;)
            {
                while (i < text.Length && text[i] == ' ') i++;
                int start = i;
                while (i < text.Length && text[i] != ' ') i++;
                if (i > start) words[w++] = text.Substring(start, i - start);
            }
            return words;
        }
    }
}
