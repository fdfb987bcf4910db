// Turns a CPU fault in compiled code into a managed exception, for the platform's fault
// handler (ExOS's exception upcall): #DE becomes DivideByZeroException, a page fault in the
// first 64 KiB (page 0 is never mapped; implicit null checks rely on it) becomes
// NullReferenceException. The faulting frame is made to call RhpThrowHwEx from the faulting
// instruction: its rip + 1 is pushed as the return address, so dispatch sees the fault as a
// call at that instruction. In runtime.asm's leaf helpers (write barriers, the interface
// dispatch stub's null check) the fault is the caller's. Anything else (a wild address, stack overflow, a fault outside
// compiled code) is left to the platform.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static unsafe class HardwareFaults
    {
        private const ulong DivideError = 0, PageFault = 14, NullRegion = 0x10000;

        [RuntimeImport("exo_throw_hw_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong ThrowHwAddress();

        /// <summary>True when the fault is one compiled code turns into an exception; then
        /// rip, rsp and rdi are set so that resuming the frame throws it.</summary>
        public static bool Redirect(ulong vector, ulong faultAddress, ref ulong rip, ref ulong rsp, ref ulong rdi)
        {
            int code;
            if (vector == DivideError) code = ExceptionHandling.HardwareDivideByZero;
            else if (vector == PageFault && faultAddress < NullRegion) code = ExceptionHandling.HardwareNullReference;
            else return false;
            if (InLeafHelper(rip))
            {
                // A write barrier or the dispatch stub's null check: the fault is the caller's,
                // whose return address is at [rsp]; it serves as the call site.
                if (Unwinder.Find(*(ulong*)rsp - 1) == null) return false;
            }
            else
            {
                if (Unwinder.Find(rip) == null) return false;
                rsp -= 8;
                *(ulong*)rsp = rip + 1;
            }
            rip = ThrowHwAddress();
            rdi = (ulong)code;
            return true;
        }

        [RuntimeImport("exo_leaf_helper_bounds")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void LeafHelperBounds(ulong* bounds);

        private static bool InLeafHelper(ulong rip)
        {
            ulong* bounds = stackalloc ulong[3];
            LeafHelperBounds(bounds);
            return rip >= bounds[0] && rip < bounds[1] || rip == bounds[2];
        }

        /// <summary>True when address is inside compiled code that has unwind data.</summary>
        public static bool IsManagedCode(ulong address) => Unwinder.Find(address) != null;
    }
}
