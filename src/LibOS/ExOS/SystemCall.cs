// Raw system calls: exo_syscall in start.asm. Numbers and errors are ExoSharp.Abi's.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class SystemCall
    {
        [RuntimeImport("exo_syscall")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern long Raw(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong number);

        public static long Invoke(Syscall number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) =>
            Raw(a0, a1, a2, a3, a4, (ulong)number);

        /// <summary>Any number, even one the ABI does not define (for tests of the kernel's checks).</summary>
        public static long InvokeRaw(ulong number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) =>
            Raw(a0, a1, a2, a3, a4, number);

        public static long ConsoleWrite(byte* bytes, long length) => Invoke(Syscall.ConsoleWrite, (ulong)bytes, (ulong)length);

        public static void Exit(int status)
        {
            Invoke(Syscall.Exit, (ulong)status);
        }
    }
}
