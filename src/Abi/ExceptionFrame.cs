// What the kernel writes on an environment's exception stack before it enters the handler
// (rdi = a pointer to this): the exception and every register at the time of the fault.
// The handler resumes the faulting code itself from these values, without a system call.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct ExceptionFrame
    {
        /// <summary>The CPU exception vector (14 for a page fault, 0 for a divide error, ...).</summary>
        public ulong Vector;
        /// <summary>The CPU's error code (for a page fault: bit 0 present, 1 write, 2 user, 4 fetch).</summary>
        public ulong ErrorCode;
        /// <summary>The faulting address of a page fault (cr2); 0 otherwise.</summary>
        public ulong FaultAddress;
        public Registers Registers;
    }
}
