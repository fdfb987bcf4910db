// JOS lab 4 user/faultbadhandler: an exception stack, but the handler address is garbage
// (0xdeadbeef): the kernel must kill the environment at the fault.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultBadHandler
    {
        public static int Main(string arguments)
        {
            Memory.AllocatePage(Layout.ExceptionStackPage);
            Exceptions.SetUpcallOnly(0xDeadBeef, Layout.ExceptionStackTop);
            *(int*)0 = 0;
            return 0;
        }
    }
}
