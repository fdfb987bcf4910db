// `linux [-put MODULE /PATH]... NAME [ARGS...]`: runs the static Linux binary that tools/run.sh
// gave as the data module NAME (--file HOST=NAME), with argv = NAME ARGS (a 'single-quoted'
// stretch is one word) and a small environment, under the Linux library OS
// (src/LibOS/Linux/Runtime), with the disk's file system mounted when there is one; each -put
// first copies a data module into that file system (FsPut). The run's status is the program's.
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.Apps.Foreign
{
    internal static unsafe class LinuxRunner
    {
        public static int Main(string arguments)
        {
            string[] argv = Split(arguments);
            int first = 0;
            while (argv.Length - first >= 3 && argv[first] == "-put")
            {
                string error = FsPut.Put(argv[first + 1], argv[first + 2]);
                if (error != null) { System.Console.WriteLine("linux: -put: " + error); return 2; }
                first += 3;
            }
            if (first > 0)
            {
                var rest = new string[argv.Length - first];
                for (int i = 0; i < rest.Length; i++) rest[i] = argv[first + i];
                argv = rest;
            }
            if (argv.Length == 0)
            {
                System.Console.WriteLine("linux: usage: linux [-put MODULE /PATH]... NAME [ARGS...] (NAME, MODULE: --file boot modules)");
                return 2;
            }
            int module = BootModules.FindFile(argv[0]);
            if (module < 0)
            {
                System.Console.WriteLine("linux: no boot module file named '" + argv[0] + "' (tools/run.sh --file HOST=NAME)");
                return 2;
            }
            Files.Mount();      // the disk's file system when there is one (execve finds programs there); without, data modules only
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
