// What KernelCheck (a test-only call, selfcheck=on) reports besides its violation count: enough
// for a test to see that nothing leaked between two checks.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct KernelCheckInfo
    {
        /// <summary>How many violations the check found (also the call's result).</summary>
        public ulong Violations;
        /// <summary>Free physical frames (the kernel's reserve included).</summary>
        public ulong FreeFrames;
        /// <summary>Live environments.</summary>
        public ulong Environments;
        /// <summary>Frame capabilities in the caller's own table.</summary>
        public ulong CallerFrames;
        /// <summary>Bytes the kernel heap holds (in use or free in it): frames it took from the pool.</summary>
        public ulong KernelHeapBytes;
        /// <summary>The longest stretch the kernel ran with interrupts off since the previous
        /// KernelCheck (or the end of boot), in TSC cycles; the check starts a new measure.</summary>
        public ulong LongestInterruptsOff;
        /// <summary>What caused it: 0x1000 + a system call number, a trap vector (below 48), or
        /// 0x3000 (the scheduler after an idle halt).</summary>
        public ulong LongestCause;
    }
}
