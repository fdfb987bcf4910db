// The system call dispatcher, entered from syscall_entry (stubs.asm) with interrupts off.
// Every argument is checked; a bad one returns a negative Abi.Error, never a kernel fault.
using System.Runtime;
using ExoSharp.Abi;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class Syscalls
    {
        [RuntimeExport("ExoSharpSyscall")]
        public static long Dispatch(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong number)
        {
            Environment env = Environments.Current;
            switch ((Syscall)number)
            {
                case Syscall.ConsoleWrite:
                    return ConsoleWrite(env, a0, a1);
                case Syscall.Exit:
                    Environments.Exit((long)a0);
                    return 0;
                case Syscall.Abort:
                    Abort(env, a0, a1, a2);
                    return 0;
                default:
                    return (long)Error.NoSuchCall;
            }
        }

        private static long ConsoleWrite(Environment env, ulong bytes, ulong length)
        {
            if (length > (ulong)UserLayout.MaxConsoleWrite) return (long)Error.BadLength;
            if (!UserMemory.CanAccess(env.Space, bytes, length, false)) return (long)Error.BadAddress;
            Console.WriteBytes((byte*)bytes, (long)length);
            return (long)length;
        }

        /// <summary>An unhandled exception in the program: print its type and message, kill it.</summary>
        private static void Abort(Environment env, ulong typeAddress, ulong message, ulong length)
        {
            env.WriteLinePrefix();
            Console.Write("killed: unhandled exception ");
            if (!Symbols.WriteTypeName(env.Symbols, typeAddress)) Console.Write("(unknown type)");
            if (length > 1024) length = 1024;
            if (UserMemory.CanAccess(env.Space, message, length * 2, false))
            {
                Console.Write(": ");
                char* text = (char*)message;
                for (ulong i = 0; i < length; i++) Console.Write(text[i]);
            }
            Console.Write('\n');
            Environments.EndKilled();
        }
    }
}
