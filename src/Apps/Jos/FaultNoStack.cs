// JOS lab 4 user/faultnostack: registers the exception entry without mapping an exception
// stack, then faults: the kernel must kill the environment (it cannot write the frame).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultNoStack
    {
        public static int Main(string arguments)
        {
            Exceptions.SetUpcallOnly(Exceptions.Entry, Layout.ExceptionStackTop);
            *(int*)0 = 0;
            return 0;
        }
    }
}
