// The packet filters a stack installs (classic BPF, the executive's bytecode; libpcap's
// 262144 accepts): ARP whose target is the stack's address, all IPv4 to that address, and,
// while DHCP runs, UDP to port 68 whatever the address. The anti-spoofing rule then lets the
// stack send exactly the traffic whose replies these claim.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.LibOS.Net.Ring
{
    public static unsafe class NetFilterPrograms
    {
        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>arp and arp[24:4] == ip; its filter id or an error.</summary>
        public static long InstallArp(uint ip)
        {
            ProgramInstruction* p = stackalloc ProgramInstruction[6];
            p[0] = I(0x28, 0, 0, 12);          // ldh [12]
            p[1] = I(0x15, 0, 3, 0x0806);      // jeq #ARP
            p[2] = I(0x20, 0, 0, 38);          // ld [38]      target protocol address
            p[3] = I(0x15, 0, 1, ip);
            p[4] = I(0x06, 0, 0, 0x40000);
            p[5] = I(0x06, 0, 0, 0);
            return SystemCall.FilterInstall(p, 6);
        }

        /// <summary>ip and dst host ip.</summary>
        public static long InstallIpv4(uint ip)
        {
            ProgramInstruction* p = stackalloc ProgramInstruction[6];
            p[0] = I(0x28, 0, 0, 12);
            p[1] = I(0x15, 0, 3, 0x0800);      // jeq #IPv4
            p[2] = I(0x20, 0, 0, 30);          // ld [30]      destination address
            p[3] = I(0x15, 0, 1, ip);
            p[4] = I(0x06, 0, 0, 0x40000);
            p[5] = I(0x06, 0, 0, 0);
            return SystemCall.FilterInstall(p, 6);
        }

        /// <summary>ip and udp dst port 68, first fragments (the DHCP client's replies).</summary>
        public static long InstallDhcpClient()
        {
            ProgramInstruction* p = stackalloc ProgramInstruction[11];
            p[0] = I(0x28, 0, 0, 12);
            p[1] = I(0x15, 0, 8, 0x0800);
            p[2] = I(0x30, 0, 0, 23);          // ldb [23]     protocol
            p[3] = I(0x15, 0, 6, 17);
            p[4] = I(0x28, 0, 0, 20);
            p[5] = I(0x45, 4, 0, 0x1fff);      // a later fragment: no
            p[6] = I(0xb1, 0, 0, 14);          // ldxb 4*([14]&0xf)
            p[7] = I(0x48, 0, 0, 16);          // ldh [x+16]   destination port
            p[8] = I(0x15, 0, 1, 68);
            p[9] = I(0x06, 0, 0, 0x40000);
            p[10] = I(0x06, 0, 0, 0);
            return SystemCall.FilterInstall(p, 11);
        }
    }
}
