// CPU exceptions handled in user mode (JOS's set_pgfault_handler): the program registers a
// handler; ExOS maps its exception stack and points the kernel at exo_exception_entry
// (start.asm), which saves the x87/SSE/AVX state (ExtendedState.cs), calls the handler
// (directly, or through Dispatch for Revoke upcalls and fat function pointers) and then
// resumes the faulting code by itself with every register as the handler left the frame.
// Every program starts with ExOS's default handler (Startup.cs): faults in compiled code
// that .NET turns into exceptions (null dereference, division by zero) become managed
// exceptions (RaiseManaged); any other fault ends the program through Abort with ExOS's own
// account of it (FaultReport: the access, the address, the privileged instruction, stack
// overflow included); other upcalls nobody handles remove the handler and repeat, and the
// kernel kills the program with its line.
// A program's own handler replaces the default and sees every fault first; ExOS's own
// handlers (fork, threads) call RaiseManaged for the faults they do not handle.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Exceptions
    {
        private static delegate*<ExceptionFrame*, void> s_handler;
        private static delegate*<ulong, void> s_revokeHandler;
        private static bool s_collectAtUpcalls;

        /// <summary>gc=stress: every upcall goes through Dispatch, which collects first (Collector.AtUpcall).</summary>
        internal static void CollectAtEveryUpcall()
        {
            s_collectAtUpcalls = true;
            *TargetCell() = DispatchAddress();
        }

        /// <summary>Who answers the kernel's requests to give frames back (Revoke upcalls);
        /// without one, they are ignored and the kernel takes the frames at the deadline.</summary>
        public static long SetRevokeHandler(delegate*<ulong, void> handler)
        {
            s_revokeHandler = handler;
            return s_handler == null ? SetHandler(&DefaultHandler) : 0;
        }

        /// <summary>Installs the default handler (at startup, before the program runs).</summary>
        public static long InstallDefault() => SetHandler(&DefaultHandler);

        private static void DefaultHandler(ExceptionFrame* frame)
        {
            if (RaiseManaged(frame)) return;
            Unhandled(frame);
        }

        /// <summary>Makes the faulting frame throw the managed exception the fault stands for
        /// (NullReferenceException, DivideByZeroException) when it is in compiled code; the
        /// frame then resumes into the throw. False for any other fault.</summary>
        public static bool RaiseManaged(ExceptionFrame* frame)
        {
            if (frame->Vector >= 32) return false;
            return HardwareFaults.Redirect(frame->Vector, frame->FaultAddress, ref frame->Registers.Rip, ref frame->Registers.Rsp, ref frame->Registers.Rdi);
        }

        /// <summary>A fault nobody handles: a CPU exception ends the program with ExOS's own
        /// account of it (FaultReport); for any other upcall, drop the handler and resume, so it
        /// repeats and the kernel kills the program with its line.</summary>
        public static void Unhandled(ExceptionFrame* frame)
        {
            if (frame->Vector < 32) FaultReport.Abort(frame);
            s_handler = null;
            *TargetCell() = DispatchAddress();      // never 0: start.asm calls through it
            SystemCall.SetExceptionHandler(Capability.Self, 0, 0);
        }

        [RuntimeImport("exo_exception_entry_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong EntryAddress();

        [RuntimeImport("exo_exception_target_cell")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong* TargetCell();

        [RuntimeImport("exo_exception_dispatch_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong DispatchAddress();

        /// <summary>The address the kernel should upcall (for a child being set up).</summary>
        public static ulong Entry => EntryAddress();

        /// <summary>Sends this program's CPU exceptions to handler. 0 or a negative Abi.Error.</summary>
        public static long SetHandler(delegate*<ExceptionFrame*, void> handler)
        {
            if (s_handler == null)
            {
                for (ulong page = Layout.ExceptionStackBase; page < Layout.ExceptionStackTop; page += 4096)
                {
                    PageInfo info;
                    SystemCall.PageQuery(page, &info);
                    if (info.Flags != 0) continue;
                    long r = Memory.AllocatePage(page);
                    if (r < 0) return r;
                }
            }
            s_handler = handler;
            // start.asm calls a plain code address itself; anything else goes through Dispatch.
            *TargetCell() = handler != null && ((ulong)handler & 2) == 0 && !s_collectAtUpcalls ? (ulong)handler : DispatchAddress();
            return SystemCall.SetExceptionHandler(Capability.Self, EntryAddress(), Layout.ExceptionStackTop);
        }

        /// <summary>Registers only the kernel upcall, without a stack (what JOS's faultnostack does).</summary>
        public static long SetUpcallOnly(ulong entry, ulong stackTop) => SystemCall.SetExceptionHandler(Capability.Self, entry, stackTop);

        [RuntimeExport("ExoSharpException")]
        public static void Dispatch(ExceptionFrame* frame)
        {
            if (s_collectAtUpcalls) Collector.AtUpcall(frame);
            if (frame->Vector == UpcallVector.Revoke)
            {
                Collector.GiveBack();       // empty heap regions go first
                if (s_revokeHandler == null) return;
                ExtendedState.Of(frame);    // the program's handler may use any register
                s_revokeHandler(frame->ErrorCode);
                return;
            }
            if (s_handler != null)
            {
                s_handler(frame);
                return;
            }
            if (RaiseManaged(frame)) return;
            Unhandled(frame);
        }
    }
}
