// One mapping for PageMap: page-aligned user address, the frame capability, PageFlags.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct PageMapEntry
    {
        public ulong Address;
        public ulong FrameHandle;
        public ulong Flags;
    }
}
