// JOS lab 4 user/faultallocbad: hands the kernel an unmapped pointer (sys_cputs). The kernel
// must refuse it without touching the memory, so the page-fault handler never runs; the
// program prints the error it got and fails unless it is BadAddress.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultAllocBad
    {
        public static int Main(string arguments)
        {
            Exceptions.SetHandler(&FaultAlloc.Handler);
            long r = SystemCall.ConsoleWrite((byte*)0xDEADBEEF, 4);
            System.Console.WriteLine("faultallocbad: ConsoleWrite(0xdeadbeef, 4) returned " + r.ToString() +
                (r == (long)Error.BadAddress ? " (BadAddress)" : " (expected BadAddress, " + ((long)Error.BadAddress).ToString() + ")"));
            return r == (long)Error.BadAddress ? 0 : 1;
        }
    }
}
