// `linux NAME [ARGS...]`: runs the static Linux binary that tools/run.sh gave as the data
// module NAME (--file HOST=NAME), with argv = NAME ARGS (a 'single-quoted' stretch is one
// word) and a small environment, under the
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

        /// <summary>Words separated by spaces; a single-quoted stretch ('a b; c') is one word
        /// without its quotes, so a shell's -c script can be given on the command line.</summary>
        private static string[] Split(string text)
        {
            var words = new string[text.Length / 2 + 1];
            int count = 0;
            for (int i = 0; i < text.Length;)
            {
                while (i < text.Length && text[i] == ' ') i++;
                if (i == text.Length) break;
                string word = "";
                while (i < text.Length && text[i] != ' ')
                {
                    if (text[i] == '\'')
                    {
                        int close = i + 1;
                        while (close < text.Length && text[close] != '\'') close++;
                        word += text.Substring(i + 1, close - i - 1);
                        i = close < text.Length ? close + 1 : close;
                    }
                    else word += text[i++];
                }
                words[count++] = word;
            }
            var result = new string[count];
            for (int i = 0; i < count; i++) result[i] = words[i];
            return result;
        }
    }
}
