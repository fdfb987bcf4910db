// JOS lab 4 user/faultnostack: registers the exception entry without an exception stack
// (ExOS maps one at startup for its default handler: unmapped first), then faults: the
// kernel must kill the environment (it cannot write the frame).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultNoStack
    {
        public static int Main(string arguments)
        {
            SystemCall.PageUnmap(Capability.Self, Layout.ExceptionStackPage);
            Exceptions.SetUpcallOnly(Exceptions.Entry, Layout.ExceptionStackTop);
            *(int*)0 = 0;
            return 0;
        }
    }
}
