// A user program's life: ExoSharpUserMain (called by start.asm) gives the heap its arena,
// initialises static fields, then runs the program named by the first argument word
// (ExoSharpAppMain, provided by the program). Also the platform hooks the corelib calls:
// ExoSharpMoreCore (the heap's supply), ExoSharpWrite (System.Console) and
// ExoSharpUnhandledException (Abort system call: the kernel names the type and kills us).
// Missing: heap growth beyond the arena (needs the exokernel's frame allocation calls).
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Startup
    {
        private static byte* s_arena;
        private static nuint s_arenaSize;

        [RuntimeImport("ExoSharpAppMain")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int AppMain(string name, string arguments);

        [RuntimeExport("ExoSharpUserMain")]
        public static int UserMain(sbyte* arguments, int length, nint* modulesStart, nint* modulesEnd, byte* arena, nuint arenaSize)
        {
            s_arena = arena;
            s_arenaSize = arenaSize;
            StartupCodeHelpers.InitializeModules(modulesStart, modulesEnd);
            string commandLine = new string(arguments, 0, length);
            int space = commandLine.IndexOf(' ');
            string name = space < 0 ? commandLine : commandLine.Substring(0, space);
            string rest = space < 0 ? "" : commandLine.Substring(space + 1);
            return AppMain(name, rest);
        }

        [RuntimeExport("ExoSharpMoreCore")]
        public static void* MoreCore(nuint minimum, nuint* granted)
        {
            if (s_arena == null || minimum > s_arenaSize) return null;
            void* region = s_arena;
            *granted = s_arenaSize;
            s_arena = null;
            return region;
        }

        [RuntimeExport("ExoSharpWrite")]
        public static void Write(byte* bytes, int length) => SystemCall.ConsoleWrite(bytes, length);

        [RuntimeExport("ExoSharpUnhandledException")]
        public static void UnhandledException(object exception)
        {
            if (exception == null)
            {
                const string message = "out of memory";
                fixed (char* p = message)
                    SystemCall.Invoke(Syscall.Abort, 0, (ulong)p, (ulong)message.Length);
            }
            ulong type = *(ulong*)Unsafe.As<object, nint>(ref exception);
            string text = ((System.Exception)exception).Message;
            fixed (char* p = text)
                SystemCall.Invoke(Syscall.Abort, type, (ulong)p, (ulong)text.Length);
        }
    }
}
