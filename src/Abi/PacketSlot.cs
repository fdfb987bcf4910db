// The header of one packet-ring slot (PacketRing); the frame's bytes follow at
// PacketRing.HeaderSize. Length is written last by whoever fills the slot and is the
// handover: non-zero hands the slot to the reader, 0 hands it back.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct PacketSlot
    {
        /// <summary>The frame's length in bytes; 0: the slot is empty.</summary>
        [FieldOffset(0)] public uint Length;
        /// <summary>Receive: the id of the filter that claimed the frame.</summary>
        [FieldOffset(4)] public uint FilterId;
        /// <summary>Transmit: 0 when the frame was sent, else a negative Error.</summary>
        [FieldOffset(8)] public int Status;
        /// <summary>Receive: frames for this ring dropped (ring full) since the previous delivery.</summary>
        [FieldOffset(12)] public uint Dropped;
    }
}
