// What PageQuery reports about one page of the caller's address space.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct PageInfo
    {
        /// <summary>The physical frame number (valid when Flags is non-zero).</summary>
        public ulong Frame;
        /// <summary>PageFlags of the mapping, plus Present (bit 0); 0 when nothing is mapped.</summary>
        public ulong Flags;
        /// <summary>The caller's handle for that frame's capability.</summary>
        public ulong FrameHandle;
    }
}
