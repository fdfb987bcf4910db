// JOS lab 4 user/faultallocbad: hands the kernel an unmapped pointer (sys_cputs). The kernel
// must refuse it without touching the memory, so the page-fault handler never runs.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultAllocBad
    {
        public static int Main(string arguments)
        {
            Exceptions.SetHandler(&FaultAlloc.Handler);
            SystemCall.ConsoleWrite((byte*)0xDEADBEEF, 4);
            return 0;
        }
    }
}
