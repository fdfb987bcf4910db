// JOS lab 4 user/faultdie: a page-fault handler that reports the fault and destroys its own
// environment ("i faulted at va deadbeef, err 6").
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultDie
    {
        private static void Handler(ExceptionFrame* frame)
        {
            System.Console.WriteLine("i faulted at va " + Format.Hex(frame->FaultAddress) + ", err " + Format.Hex(frame->ErrorCode & 7));
            SystemCall.EnvDestroy(Capability.Self);
        }

        public static int Main(string arguments)
        {
            Exceptions.SetHandler(&Handler);
            *(int*)0xDeadBeef = 0;
            return 0;
        }
    }
}
