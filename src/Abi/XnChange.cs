// The argument of XnAlloc, XnFree, XnWrite (and XnMove's two): which block changes, where, the new
// bytes (in the caller's memory), for XnAlloc and XnFree the extent of blocks allocated or freed,
// and the XnRoot capability (with the Write right) of the root the block is under.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct XnChange
    {
        /// <summary>The block whose bytes change (the parent, for XnAlloc and XnFree).</summary>
        public ulong Block;
        /// <summary>Where in it the bytes go (Offset + Length at most 4096).</summary>
        public ulong Offset;
        /// <summary>The new bytes' address in the caller's memory.</summary>
        public ulong Bytes;
        public ulong Length;
        /// <summary>XnAlloc, XnFree: the first block allocated or freed, and how many.</summary>
        public ulong First;
        public ulong Count;
        /// <summary>XnAlloc: the new blocks' type (0: data, else a template's type).</summary>
        public ulong Type;
        /// <summary>The handle of the caller's XnRoot capability for the block's root (XnMove: `from`'s only).</summary>
        public ulong Root;
    }
}
