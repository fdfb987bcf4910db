// Attacks on the upcall fast path (Kernel/Core/UpcallCache.cs): after two exceptions have
// been handled (the second by stubs.asm alone), the program takes away what the kernel
// checked (argument: "unmap" or "free" the exception stack page, map it "readonly", "unmap"
// its handler's "code" page, or point the "handler" elsewhere) and faults again. The kernel
// must refuse the upcall with its usual line, never write the frame or jump to the handler.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class StaleUpcall
    {
        [RuntimeImport("bench_ud2")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Ud2();

        private static int s_handled;

        private static void Skip(ExceptionFrame* frame)
        {
            s_handled++;
            frame->Registers.Rip += 2;          // past the ud2
        }

        public static int Main(string arguments)
        {
            Exceptions.SetHandler(&Skip);
            Ud2();
            Ud2();
            System.Console.WriteLine("staleupcall: handled " + s_handled.ToString() + ", now " + arguments);
            PageInfo info;
            SystemCall.PageQuery(Layout.ExceptionStackPage, &info);
            long r;
            if (arguments == "unmap") r = SystemCall.PageUnmap(Capability.Self, Layout.ExceptionStackPage);
            else if (arguments == "free") r = SystemCall.FrameFree(info.FrameHandle);
            else if (arguments == "readonly") r = SystemCall.PageMap(Capability.Self, Layout.ExceptionStackPage, info.FrameHandle, 0);
            else if (arguments == "handler") r = Exceptions.SetUpcallOnly(0xDeadBeef, Layout.ExceptionStackTop);
            else if (arguments == "code") r = SystemCall.PageUnmap(Capability.Self, Exceptions.Entry & ~4095UL);
            else return 2;
            System.Console.WriteLine("staleupcall: " + arguments + " returned " + r.ToString());
            Ud2();
            System.Console.WriteLine("staleupcall: the upcall went through after " + arguments);
            return 1;
        }
    }
}
