// Packet filters for the network programs, written out in classic BPF (the executive's
// bytecode): ARP requests for an IPv4 address, and IPv4/UDP datagrams to an address and port
// (first fragments only). Both return libpcap's 262144 (accept) or 0.
using ExoSharp.Abi;

namespace ExoSharp.Apps.Net
{
    internal static class NetFilters
    {
        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>arp and arp[24:4] == ip (the target protocol address).</summary>
        public static ProgramInstruction[] ArpFor(uint ip) => new[]
        {
            I(0x28, 0, 0, 12),          // ldh [12]         EtherType
            I(0x15, 0, 3, 0x0806),      // jeq #ARP
            I(0x20, 0, 0, 38),          // ld [38]          target protocol address
            I(0x15, 0, 1, ip),          // jeq #ip
            I(0x06, 0, 0, 0x40000),     // ret #262144
            I(0x06, 0, 0, 0),           // ret #0
        };

        /// <summary>ip and dst host ip and udp dst port port, not a later fragment.</summary>
        public static ProgramInstruction[] UdpTo(uint ip, ushort port) => new[]
        {
            I(0x28, 0, 0, 12),          // ldh [12]
            I(0x15, 0, 10, 0x0800),     // jeq #IPv4
            I(0x20, 0, 0, 30),          // ld [30]          destination address
            I(0x15, 0, 8, ip),          // jeq #ip
            I(0x30, 0, 0, 23),          // ldb [23]         protocol
            I(0x15, 0, 6, 17),          // jeq #UDP
            I(0x28, 0, 0, 20),          // ldh [20]         fragment offset
            I(0x45, 4, 0, 0x1fff),      // jset #0x1fff     a later fragment: no
            I(0xb1, 0, 0, 14),          // ldxb 4*([14]&0xf)
            I(0x48, 0, 0, 16),          // ldh [x+16]       destination port
            I(0x15, 0, 1, port),        // jeq #port
            I(0x06, 0, 0, 0x40000),     // ret #262144
            I(0x06, 0, 0, 0),           // ret #0
        };
    }
}
