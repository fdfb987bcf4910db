// An epilogue that never yields: the kernel must take the processor back anyway, cost the
// environment its next turns, and kill it after Capability.EpilogueStrikes overstays.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class Overstay
    {
        private static void Upcall(ExceptionFrame* frame)
        {
            if (frame->Vector == UpcallVector.SliceEnd)
                while (true) { }
        }

        public static int Main(string arguments)
        {
            // Printed first: once the epilogue is set, a slice ending mid-line would never finish it.
            System.Console.WriteLine("overstay: my epilogue will never yield");
            Exceptions.SetHandler(&Upcall);
            SystemCall.SetSliceHandlers(Capability.Self, 0, Exceptions.Entry);
            while (true) { }
        }
    }
}
