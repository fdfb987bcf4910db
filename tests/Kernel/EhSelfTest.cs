// selftest=eh: the corelib's exception dispatch works in the kernel too: kernel code that
// catches its own exception gets it (typed catch across frames, finally, filter, rethrow)
// and the kernel carries on. Uncaught, a kernel exception is still a panic (selftest=throw).
using InvalidOperationException = System.InvalidOperationException;
using Exception = System.Exception;
using System.Runtime.CompilerServices;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Tests.Kernel
{
    internal static class EhSelfTest
    {
        private static int s_finallys;

        public static void Run()
        {
            int caught = 0;
            try { Deep(5); }
            catch (InvalidOperationException e) when (e.Message == "kernel eh") { caught++; }
            try
            {
                try { Deep(2); }
                catch (InvalidOperationException) { caught++; throw; }
            }
            catch (Exception) { caught++; }
            Console.Write("kernel: eh caught ");
            Console.WriteDecimal((ulong)caught);
            Console.Write(", finallys ");
            Console.WriteDecimal((ulong)s_finallys);
            Console.WriteLine(", the kernel goes on");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Deep(int depth)
        {
            try
            {
                if (depth == 0) throw new InvalidOperationException("kernel eh");
                return Deep(depth - 1) + 1;
            }
            finally { s_finallys++; }
        }
    }
}
