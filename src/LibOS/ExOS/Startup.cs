// A user program's life: ExoSharpUserMain (called by start.asm) initialises static fields,
// takes ExOS's options off the command line (gc=...) and installs the collector, then runs the
// program named by the next word (ExoSharpAppMain, provided by the program). Also the platform hooks the corelib calls: ExoSharpWrite (System.Console) and
// ExoSharpUnhandledException (the Abort system call with the exception's type, message and
// trace as text: the kernel prints it in our kill line);
// the heap's supply is in Memory.cs.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Startup
    {
        // The kill line's parts: 1024 message chars and 16 trace lines fit AbortText (1,500 bytes).
        private const int AbortMessageLimit = 1024, AbortTraceLimit = 16;
        private static ulong s_imageStart, s_imageEnd;

        /// <summary>The program image's pages (code, data, bss), for fork.</summary>
        public static ulong ImageStart => s_imageStart;
        public static ulong ImageEnd => s_imageEnd;

        [RuntimeImport("ExoSharpAppMain")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int AppMain(string name, string arguments);

        [RuntimeExport("ExoSharpUserMain")]
        public static int UserMain(sbyte* arguments, int length, nint* modulesStart, nint* modulesEnd, ulong imageStart, ulong imageEnd)
        {
            s_imageStart = imageStart & ~4095UL;
            s_imageEnd = (imageEnd + 4095) & ~4095UL;
            StartupCodeHelpers.InitializeModules(modulesStart, modulesEnd);
            Exceptions.InstallDefault();
            string commandLine = WithoutOptions(new string(arguments, 0, length), out string gcMode, out bool consoleFromParent);
            if (gcMode == null && BootModules.Count > 0 && InStressDirectory(BootModules.CommandLine(0))) gcMode = StressAll;
            if (gcMode == StressAll) InheritedOption = "gc=" + StressAll;
            Collector.Initialize(modulesStart, modulesEnd, gcMode);
            if (consoleFromParent) Console.ReceiveFromParent();
            int space = commandLine.IndexOf(' ');
            string name = space < 0 ? commandLine : commandLine.Substring(0, space);
            if (gcMode != null) SetName(name);          // the kernel named us by the first word, an option
            string rest = space < 0 ? "" : commandLine.Substring(space + 1);
            int status = AppMain(name, rest);
            Process.AtExit(status);
            return status;
        }

        /// <summary>ExOS's own options, words before the program's name: gc=on (the default), gc=off (no collector),
        /// gc=stress (a collection every 64 object allocations and at every upcall too),
        /// gc=stress-all (the same, inherited by spawned programs), gc=verbose (a line per
        /// collection); console=parent (wait at start for the parent to pass the console
        /// capability, Console.GiveTo). Returns the command line without them; gcMode: the last
        /// gc= value, or null.</summary>
        public static string WithoutOptions(string commandLine, out string gcMode) => WithoutOptions(commandLine, out gcMode, out _);

        /// <summary>As above; consoleFromParent: whether console=parent was among them.</summary>
        public static string WithoutOptions(string commandLine, out string gcMode, out bool consoleFromParent)
        {
            gcMode = null;
            consoleFromParent = false;
            while (commandLine.StartsWith("gc=") || commandLine.StartsWith(ConsoleOption + " ") || commandLine == ConsoleOption)
            {
                int space = commandLine.IndexOf(' ');
                string word = commandLine.Substring(0, space < 0 ? commandLine.Length : space);
                if (word == ConsoleOption) consoleFromParent = true;
                else gcMode = word.Substring(3);
                commandLine = space < 0 ? "" : commandLine.Substring(space + 1);
            }
            return commandLine;
        }

        /// <summary>gc=stress-all: gc=stress, passed on to every program spawned (Spawn.Image) that
        /// has no gc= option of its own. The first environment takes it also from the path of its
        /// own boot module: a directory named gc=stress-all (GC_STRESS=1 tools/run.sh), which
        /// changes neither the kernel's name for it nor the number of modules.</summary>
        public const string StressAll = "stress-all";

        /// <summary>The option every program this one spawns gets unless it has a gc= of its own; or null.</summary>
        public static string InheritedOption { get; private set; }

        private static bool InStressDirectory(string moduleLine)
        {
            const string marker = "/gc=" + StressAll + "/";
            int space = moduleLine.IndexOf(' ');
            int end = space < 0 ? moduleLine.Length : space;
            for (int i = 0; i + marker.Length <= end; i++)
                if (moduleLine.Substring(i, marker.Length) == marker) return true;
            return false;
        }

        /// <summary>The option that makes a spawned program wait for the console capability.</summary>
        public const string ConsoleOption = "console=parent";

        private static void SetName(string name)
        {
            int length = name.Length < 32 ? name.Length : 32;
            byte* bytes = stackalloc byte[32];
            for (int i = 0; i < length; i++) bytes[i] = (byte)name[i];
            SystemCall.Invoke(Syscall.EnvSetName, Capability.Self, (ulong)bytes, (ulong)length);
        }

        [RuntimeExport("ExoSharpWrite")]
        public static void Write(byte* bytes, int length) => SystemCall.ConsoleWrite(bytes, length);

        /// <summary>Nothing caught the exception: end as killed, with its type's address, its
        /// message and its trace's return addresses (innermost first) in the kill line, which the
        /// host's tools/symbolize.py names. Allocates nothing (a null exception: out of memory).</summary>
        [RuntimeExport("ExoSharpUnhandledException")]
        public static void UnhandledException(object exception)
        {
            byte* buffer = stackalloc byte[AbortText.Capacity];
            var text = new AbortText(buffer);
            text.Append("unhandled exception ");
            if (exception == null)
            {
                text.Append("(unknown type): out of memory");
                text.Abort();
            }
            text.AppendHex(*(ulong*)Unsafe.As<object, nint>(ref exception));
            text.Append(": ");
            text.Append(((System.Exception)exception).Message, AbortMessageLimit);
            for (int i = 0; i < ExceptionTrace.Count && i < AbortTraceLimit; i++)
            {
                text.Append("\n    at ");
                text.AppendHex(ExceptionTrace.Frame(i));
            }
            text.Abort();
        }
    }
}
