// Packet filters exactly as libpcap compiles them: `tcpdump -dd -y EN10MB 'expr'` output
// (tcpdump 4.99.3, libpcap 1.10.3), pasted unchanged but for the I( ) around each line. The
// guest's demultiplexer must give the verdicts tools/filter-verdicts and libpcap give on the
// same packets (SamplePackets.cs says which packet each filter accepts).
using ExoSharp.Abi;

namespace ExoSharp.Apps.Executive
{
    internal static class BpfFilters
    {
        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>tcpdump -dd -y EN10MB 'udp port 53'</summary>
        public static ProgramInstruction[] UdpPort53 => new[]
        {
            I(0x28, 0, 0, 0x0000000c),
            I(0x15, 0, 6, 0x000086dd),
            I(0x30, 0, 0, 0x00000014),
            I(0x15, 0, 15, 0x00000011),
            I(0x28, 0, 0, 0x00000036),
            I(0x15, 12, 0, 0x00000035),
            I(0x28, 0, 0, 0x00000038),
            I(0x15, 10, 11, 0x00000035),
            I(0x15, 0, 10, 0x00000800),
            I(0x30, 0, 0, 0x00000017),
            I(0x15, 0, 8, 0x00000011),
            I(0x28, 0, 0, 0x00000014),
            I(0x45, 6, 0, 0x00001fff),
            I(0xb1, 0, 0, 0x0000000e),
            I(0x48, 0, 0, 0x0000000e),
            I(0x15, 2, 0, 0x00000035),
            I(0x48, 0, 0, 0x00000010),
            I(0x15, 0, 1, 0x00000035),
            I(0x6, 0, 0, 0x00040000),
            I(0x6, 0, 0, 0x00000000),
        };

        /// <summary>tcpdump -dd -y EN10MB 'tcp port 80'</summary>
        public static ProgramInstruction[] TcpPort80 => new[]
        {
            I(0x28, 0, 0, 0x0000000c),
            I(0x15, 0, 6, 0x000086dd),
            I(0x30, 0, 0, 0x00000014),
            I(0x15, 0, 15, 0x00000006),
            I(0x28, 0, 0, 0x00000036),
            I(0x15, 12, 0, 0x00000050),
            I(0x28, 0, 0, 0x00000038),
            I(0x15, 10, 11, 0x00000050),
            I(0x15, 0, 10, 0x00000800),
            I(0x30, 0, 0, 0x00000017),
            I(0x15, 0, 8, 0x00000006),
            I(0x28, 0, 0, 0x00000014),
            I(0x45, 6, 0, 0x00001fff),
            I(0xb1, 0, 0, 0x0000000e),
            I(0x48, 0, 0, 0x0000000e),
            I(0x15, 2, 0, 0x00000050),
            I(0x48, 0, 0, 0x00000010),
            I(0x15, 0, 1, 0x00000050),
            I(0x6, 0, 0, 0x00040000),
            I(0x6, 0, 0, 0x00000000),
        };

        /// <summary>tcpdump -dd -y EN10MB 'icmp'</summary>
        public static ProgramInstruction[] Icmp => new[]
        {
            I(0x28, 0, 0, 0x0000000c),
            I(0x15, 0, 3, 0x00000800),
            I(0x30, 0, 0, 0x00000017),
            I(0x15, 0, 1, 0x00000001),
            I(0x6, 0, 0, 0x00040000),
            I(0x6, 0, 0, 0x00000000),
        };

        /// <summary>tcpdump -dd -y EN10MB 'tcp port 8080 and greater 200'</summary>
        public static ProgramInstruction[] TcpPort8080Large => new[]
        {
            I(0x28, 0, 0, 0x0000000c),
            I(0x15, 0, 6, 0x000086dd),
            I(0x30, 0, 0, 0x00000014),
            I(0x15, 0, 17, 0x00000006),
            I(0x28, 0, 0, 0x00000036),
            I(0x15, 12, 0, 0x00001f90),
            I(0x28, 0, 0, 0x00000038),
            I(0x15, 10, 13, 0x00001f90),
            I(0x15, 0, 12, 0x00000800),
            I(0x30, 0, 0, 0x00000017),
            I(0x15, 0, 10, 0x00000006),
            I(0x28, 0, 0, 0x00000014),
            I(0x45, 8, 0, 0x00001fff),
            I(0xb1, 0, 0, 0x0000000e),
            I(0x48, 0, 0, 0x0000000e),
            I(0x15, 2, 0, 0x00001f90),
            I(0x48, 0, 0, 0x00000010),
            I(0x15, 0, 3, 0x00001f90),
            I(0x80, 0, 0, 0x00000000),
            I(0x35, 0, 1, 0x000000c8),
            I(0x6, 0, 0, 0x00040000),
            I(0x6, 0, 0, 0x00000000),
        };

        /// <summary>tcpdump -dd -y EN10MB 'udp'</summary>
        public static ProgramInstruction[] Udp => new[]
        {
            I(0x28, 0, 0, 0x0000000c),
            I(0x15, 0, 2, 0x00000800),
            I(0x30, 0, 0, 0x00000017),
            I(0x15, 6, 7, 0x00000011),
            I(0x15, 0, 6, 0x000086dd),
            I(0x30, 0, 0, 0x00000014),
            I(0x15, 3, 0, 0x00000011),
            I(0x15, 0, 3, 0x0000002c),
            I(0x30, 0, 0, 0x00000036),
            I(0x15, 0, 1, 0x00000011),
            I(0x6, 0, 0, 0x00040000),
            I(0x6, 0, 0, 0x00000000),
        };

        /// <summary>tcpdump -dd -y EN10MB '' (every packet: the claim the overlap rule must refuse)</summary>
        public static ProgramInstruction[] Everything => new[]
        {
            I(0x6, 0, 0, 0x00040000),
        };
    }
}
