// The stack's counters, readable by the program (the fields are the interface): frames and
// segments in and out, retransmissions by cause, and drops by reason. Only ever incremented.
namespace ExoSharp.LibOS.Net
{
    public sealed class NetCounters
    {
        // Link and ARP
        public long FramesIn, FramesOut, TransmitBusy, TransmitRefused;
        public long DropShort, DropNotForUs, DropUnknownType;
        public long ArpRequestsIn, ArpRepliesIn, ArpRequestsOut, ArpRepliesOut, ArpBad, ArpHeldSent, ArpHeldDropped;
        // IPv4
        public long IpIn, IpOut, IpBadHeader, IpBadChecksum, IpNotForUs, IpBadProtocol;
        public long FragmentsIn, Reassembled, FragmentOverlaps, FragmentTimeouts, FragmentNoSlot, FragmentTooBig;
        // ICMP
        public long IcmpIn, IcmpEchoReplies, IcmpUnreachableIn, IcmpUnreachableOut, IcmpBad;
        // UDP
        public long UdpIn, UdpOut, UdpBadChecksum, UdpBad, UdpNoPort, UdpQueueFull;
        // TCP
        public long SegmentsIn, SegmentsOut, TcpBadChecksum, TcpBad, TcpNoConnection, ResetsOut, ResetsIn;
        public long RetransmitsTimeout, RetransmitsFast, RetransmitsSack, RetransmitsPartial, SynRetransmits;
        public long WindowProbes, KeepAlives, DupAcks, ChallengeAcks, PawsDrops, OutOfWindow, OutOfOrder;
        public long SynBacklogDrops, NoConnectionSlots, TimeWaitRecycled, Aborted, TimedOut;
        public long ActiveOpens, PassiveOpens, Established;
    }
}
