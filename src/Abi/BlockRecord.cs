// One block's row in the buffer-cache registry window (UserLayout.BlockRegistry): readable by every
// environment, so a library file system learns what is free, cached, dirty or under way without a
// system call. Frame is the physical frame caching the block (0: not in core).
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    public struct BlockRecord
    {
        public const byte Free = 0, Allocated = 1, FreePending = 2, Reserved = 3;
        public const byte InCore = 1, Dirty = 2, Writing = 4, OnDisk = 8, Reading = 16, Tainted = 32;

        [FieldOffset(0)] public uint Frame;
        /// <summary>Free, Allocated, FreePending (freed, waiting for its old parent to reach the disk), Reserved (XN's).</summary>
        [FieldOffset(4)] public byte State;
        /// <summary>0: data; else the template's type.</summary>
        [FieldOffset(5)] public byte Type;
        /// <summary>InCore, Dirty, Writing, OnDisk, Reading, Tainted.</summary>
        [FieldOffset(6)] public byte Flags;
        /// <summary>The index of the root it belongs to in XN's catalogue (255: none).</summary>
        [FieldOffset(7)] public byte Root;
    }
}
