// `linux [-put MODULE /PATH]... NAME [ARGS...]`: runs a static Linux binary under the Linux
// library OS (src/LibOS/Linux/Runtime), with argv = NAME ARGS ('...' or "..." keep spaces inside
// a word) and a small environment: NAME beginning with '/' is a file on the disk's system volume
// (its headers read first, its segments straight into their pages: Exec.OpenImage), any other NAME the data module tools/run.sh gave (--file
// HOST=NAME). Each -put first copies a data module into that file system (FsPut). The run's
// status is the program's exit status.
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
            string[] environment = { "PATH=/bin:/usr/bin", "HOME=/", "TERM=dumb" };
            byte* image;
            ulong size;
            long fd = -1;
            string path = null;
            if (argv[0][0] == '/')
            {
                string problem = OpenFile(argv[0], out image, out size, out fd);
                path = argv[0];
                if (problem != null)
                {
                    System.Console.WriteLine("linux: cannot read '" + argv[0] + "': " + problem);
                    return 2;
                }
            }
            else
            {
                int module = BootModules.FindFile(argv[0]);
                if (module < 0)
                {
                    System.Console.WriteLine("linux: no boot module file named '" + argv[0] + "' (tools/run.sh --file HOST=NAME)");
                    return 2;
                }
                image = BootModules.Image(module);
                size = BootModules.Size(module);
            }
            string why = LinuxProcess.Run(image, size, fd, path, argv, environment);
            System.Console.WriteLine("linux: cannot run '" + argv[0] + "': " + why);
            return 126;
        }

        /// <summary>The file at path on the system volume as Exec.OpenImage opens it (its header in
        /// memory LinuxProcess.Run frees, a descriptor it closes).</summary>
        private static string OpenFile(string path, out byte* image, out ulong size, out long fd)
        {
            image = null;
            size = 0;
            fd = -1;
            long r = Files.Mount();
            if (r < 0) return "no file system (error " + r.ToString() + "; a disk: make run ROOT=DIR)";
            r = Files.Stat(path, out ExoSharp.LibOS.ExOS.Cffs.FileStat st);
            if (r >= 0 && (st.Mode & 0xF000) != 0x8000) r = -13;                     // EACCES: not a regular file
            if (r >= 0 && (st.Size == 0 || st.Size > 256UL << 20)) r = -8;            // ENOEXEC
            if (r >= 0) r = ExoSharp.LibOS.Linux.Processes.Exec.OpenImage(path, st.Size, out image, out fd);
            if (r < 0) return "error " + r.ToString();
            size = st.Size;
            return null;
        }

        /// <summary>Words separated by spaces; '...' or "..." keep spaces inside a word (no escapes).</summary>
        private static string[] Split(string text)
        {
            var words = new string[Count(text)];
            int w = 0;
            char* word = stackalloc char[text.Length + 1];
            for (int i = 0; i < text.Length;)
            {
                while (i < text.Length && text[i] == ' ') i++;
                if (i == text.Length) break;
                int length = 0;
                char quote = '\0';
                for (; i < text.Length && (quote != '\0' || text[i] != ' '); i++)
                {
                    if (quote == '\0' && (text[i] == '\'' || text[i] == '"')) quote = text[i];
                    else if (quote != '\0' && text[i] == quote) quote = '\0';
                    else word[length++] = text[i];
                }
                words[w++] = new string(word, 0, length);
            }
            return words;
        }

        private static int Count(string text)
        {
            int count = 0;
            char quote = '\0';
            for (int i = 0; i < text.Length; i++)
            {
                if (quote == '\0' && text[i] != ' ' && (i == 0 || text[i - 1] == ' ')) count++;
                if (quote == '\0' && (text[i] == '\'' || text[i] == '"')) quote = text[i];
                else if (quote != '\0' && text[i] == quote) quote = '\0';
            }
            return count;
        }
    }
}
