// NetInfo's answer: the network card's Ethernet address and what the kernel did with frames
// since boot. Received = Delivered + Unclaimed + RingFull + NoRing (frames no one could take
// are counted, never queued).
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct NetInfo
    {
        /// <summary>The card's address, first byte in the lowest bits (48 bits).</summary>
        public ulong Mac;
        public ulong Received;
        /// <summary>Copied into the claiming environment's receive ring.</summary>
        public ulong Delivered;
        /// <summary>No filter claimed them.</summary>
        public ulong Unclaimed;
        /// <summary>The owner's receive ring had no empty slot.</summary>
        public ulong RingFull;
        /// <summary>The owner had no receive ring.</summary>
        public ulong NoRing;
        public ulong Sent;
        /// <summary>Refused by NetTransmit (bad length, spoofed addresses).</summary>
        public ulong Refused;
    }
}
