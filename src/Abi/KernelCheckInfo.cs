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
    }
}
