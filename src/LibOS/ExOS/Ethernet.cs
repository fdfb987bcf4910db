// Ethernet, ARP, IPv4 and UDP at the byte level, for environments that speak to the network
// card themselves: field offsets, answering an ARP request, and turning a UDP datagram around.
// Frames are untagged Ethernet II; addresses are kept as they appear on the wire (the MAC as
// the kernel's NetInfo gives it: first byte in the lowest bits; IPv4 in network order).
namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Ethernet
    {
        public const int HeaderLength = 14;
        public const ushort TypeIpv4 = 0x0800, TypeArp = 0x0806;
        public const int MinFrame = 60;                 // without the checksum; shorter ones are padded

        public static ushort Type(byte* frame) => (ushort)(frame[12] << 8 | frame[13]);

        public static void WriteMac(byte* at, ulong mac)
        {
            for (int i = 0; i < 6; i++) at[i] = (byte)(mac >> (8 * i));
        }

        public static uint ReadIpv4(byte* at) => (uint)(at[0] << 24 | at[1] << 16 | at[2] << 8 | at[3]);

        public static void WriteIpv4(byte* at, uint address)
        {
            at[0] = (byte)(address >> 24);
            at[1] = (byte)(address >> 16);
            at[2] = (byte)(address >> 8);
            at[3] = (byte)address;
        }

        public static string FormatIpv4(uint address) =>
            (address >> 24).ToString() + "." + ((address >> 16) & 255).ToString() + "." + ((address >> 8) & 255).ToString() + "." + (address & 255).ToString();

        /// <summary>Whether frame is an ARP request (Ethernet/IPv4) asking for ip.</summary>
        public static bool IsArpRequestFor(byte* frame, uint length, uint ip) =>
            length >= 42 && Type(frame) == TypeArp && frame[14] == 0 && frame[15] == 1 && frame[16] == 8 && frame[17] == 0 &&
            frame[18] == 6 && frame[19] == 4 && frame[20] == 0 && frame[21] == 1 && ReadIpv4(frame + 38) == ip;

        /// <summary>Writes the reply to an ARP request into reply ("ip is at mac"); its length.</summary>
        public static uint ArpReply(byte* request, byte* reply, ulong mac, uint ip)
        {
            for (int i = 0; i < MinFrame; i++) reply[i] = 0;
            Copy(request + 22, reply, 6);               // to the asker
            WriteMac(reply + 6, mac);
            reply[12] = 0x08; reply[13] = 0x06;
            Copy(request + 14, reply + 14, 6);          // hardware and protocol types and sizes
            reply[20] = 0; reply[21] = 2;               // a reply
            WriteMac(reply + 22, mac);
            WriteIpv4(reply + 28, ip);
            Copy(request + 22, reply + 32, 10);         // the asker's hardware and protocol address
            return MinFrame;
        }

        /// <summary>The UDP header's offset in an IPv4/UDP frame (not a later fragment) sent to ip,
        /// or 0 when the frame is anything else.</summary>
        public static uint UdpOffset(byte* frame, uint length, uint ip)
        {
            if (length < 42 || Type(frame) != TypeIpv4 || (frame[14] >> 4) != 4 || frame[23] != 17) return 0;
            if (((frame[20] & 0x1F) | frame[21]) != 0 || ReadIpv4(frame + 30) != ip) return 0;
            uint header = (uint)(frame[14] & 0xF) * 4;
            return header >= 20 && 14 + header + 8 <= length ? 14 + header : 0;
        }

        /// <summary>Turns an IPv4/UDP frame around in place (addresses and ports swapped, from mac):
        /// the checksums stay valid, as both are sums over the swapped fields.</summary>
        public static void TurnAround(byte* frame, uint udp, ulong mac)
        {
            Copy(frame + 6, frame, 6);
            WriteMac(frame + 6, mac);
            Swap(frame + 26, frame + 30, 4);
            Swap(frame + udp, frame + udp + 2, 2);
        }

        public static ushort ReadPort(byte* at) => (ushort)(at[0] << 8 | at[1]);

        private static void Copy(byte* from, byte* to, int count)
        {
            for (int i = 0; i < count; i++) to[i] = from[i];
        }

        private static void Swap(byte* a, byte* b, int count)
        {
            for (int i = 0; i < count; i++)
            {
                byte t = a[i];
                a[i] = b[i];
                b[i] = t;
            }
        }
    }
}
