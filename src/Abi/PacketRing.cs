// Packet rings: slots of SlotSize bytes in an environment's own pages, two per page, each a
// PacketSlot header then the frame. Receive: the kernel fills an empty slot (Length 0) in
// order and sets Length last; the owner reads and writes Length back to 0. A full slot means
// a full ring: the frame is dropped and counted (the next delivered slot's Dropped says how
// many). Transmit: the owner fills slots in order, then calls NetTransmit.
// Anti-spoofing: a frame may leave only if its Ethernet source is the card's address and, with
// its source and destination swapped (Ethernet, ARP sender/target, IPv4, TCP/UDP ports), one of
// the sender's own filters claims it: an environment sends only traffic whose replies it owns.
namespace ExoSharp.Abi
{
    public static class PacketRing
    {
        public const ulong Receive = 0;
        public const ulong Transmit = 1;
        public const int SlotSize = 2048;
        public const int SlotsPerPage = 4096 / SlotSize;
        public const int HeaderSize = 16;
        /// <summary>The longest frame a slot carries (an Ethernet frame without its checksum).</summary>
        public const int MaxFrame = 1514;
        /// <summary>The shortest frame NetTransmit sends (an Ethernet header).</summary>
        public const int MinFrame = 14;
        public const ulong MaxSlots = 1024;
    }
}
