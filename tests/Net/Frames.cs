// Frames built by hand for the targeted and hostile-input tests: Ethernet II around ARP, IPv4
// (with fragments and options), ICMP, UDP and TCP (with any options), checksums computed
// unless a test asks for a bad one; and a parser for what a stack sent. Independent of the
// stack's own builders (only its Checksum is shared, itself checked in ChecksumTests).
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public static unsafe class Frames
    {
        public static ushort Sum(byte[] b, int at, int length, ulong initial = 0)
        {
            fixed (byte* p = b) return Checksum.Fold(Checksum.Sum(p + at, (uint)length, initial));
        }

        public static void Put16(byte[] b, int at, uint v) { b[at] = (byte)(v >> 8); b[at + 1] = (byte)v; }

        public static void Put32(byte[] b, int at, uint v) { Put16(b, at, v >> 16); Put16(b, at + 2, v); }

        public static ushort Get16(byte[] b, int at) => (ushort)(b[at] << 8 | b[at + 1]);

        public static uint Get32(byte[] b, int at) => (uint)Get16(b, at) << 16 | Get16(b, at + 2);

        public static void PutMac(byte[] b, int at, ulong mac)
        {
            for (int i = 0; i < 6; i++) b[at + i] = (byte)(mac >> (8 * i));      // the stack's byte order (Wire.GetMac)
        }

        public static byte[] Ethernet(ulong to, ulong from, ushort type, byte[] payload)
        {
            var f = new byte[Math.Max(60, 14 + payload.Length)];
            PutMac(f, 0, to);
            PutMac(f, 6, from);
            Put16(f, 12, type);
            payload.CopyTo(f, 14);
            return f;
        }

        public static byte[] Arp(ushort op, ulong senderMac, uint senderIp, ulong targetMac, uint targetIp)
        {
            var a = new byte[28];
            Put16(a, 0, 1);
            Put16(a, 2, NetStack.TypeIpv4);
            a[4] = 6;
            a[5] = 4;
            Put16(a, 6, op);
            PutMac(a, 8, senderMac);
            Put32(a, 14, senderIp);
            PutMac(a, 18, targetMac);
            Put32(a, 24, targetIp);
            return a;
        }

        /// <summary>An IPv4 packet; offset in bytes (a multiple of 8), options padded to 4 bytes.</summary>
        public static byte[] Ip(uint from, uint to, byte protocol, byte[] payload, ushort id = 1, int offset = 0, bool more = false,
                                byte[] options = null, bool badChecksum = false, byte ttl = 64)
        {
            int optionLength = options == null ? 0 : (options.Length + 3) & ~3;
            int header = 20 + optionLength;
            var p = new byte[header + payload.Length];
            p[0] = (byte)(0x40 | header / 4);
            Put16(p, 2, (uint)p.Length);
            Put16(p, 4, id);
            Put16(p, 6, (uint)(offset / 8) | (more ? 0x2000u : 0));
            p[8] = ttl;
            p[9] = protocol;
            Put32(p, 12, from);
            Put32(p, 16, to);
            options?.CopyTo(p, 20);
            Put16(p, 10, (ushort)(Sum(p, 0, header) ^ (badChecksum ? 0x5555 : 0)));
            payload.CopyTo(p, header);
            return p;
        }

        public static byte[] Udp(uint from, uint to, ushort sourcePort, ushort port, byte[] data, bool badChecksum = false)
        {
            var u = new byte[8 + data.Length];
            Put16(u, 0, sourcePort);
            Put16(u, 2, port);
            Put16(u, 4, (uint)u.Length);
            data.CopyTo(u, 8);
            ushort sum = Sum(u, 0, u.Length, Checksum.Pseudo(from, to, NetStack.UdpProtocol, (uint)u.Length));
            Put16(u, 6, (ushort)((sum == 0 ? 0xFFFF : sum) ^ (badChecksum ? 0x0101 : 0)));
            return u;
        }

        public static byte[] Icmp(byte type, byte code, uint rest, byte[] data, bool badChecksum = false)
        {
            var m = new byte[8 + data.Length];
            m[0] = type;
            m[1] = code;
            Put32(m, 4, rest);
            data.CopyTo(m, 8);
            Put16(m, 2, (ushort)(Sum(m, 0, m.Length) ^ (badChecksum ? 0x0101 : 0)));
            return m;
        }

        /// <summary>A TCP segment (options padded with NOPs to 4 bytes).</summary>
        public static byte[] Tcp(uint from, uint to, ushort sourcePort, ushort port, uint seq, uint ack, byte flags, ushort window,
                                 byte[] options = null, byte[] data = null, bool badChecksum = false, int? dataOffsetWords = null)
        {
            int optionLength = options == null ? 0 : (options.Length + 3) & ~3;
            data ??= Array.Empty<byte>();
            var t = new byte[20 + optionLength + data.Length];
            Put16(t, 0, sourcePort);
            Put16(t, 2, port);
            Put32(t, 4, seq);
            Put32(t, 8, ack);
            t[12] = (byte)((dataOffsetWords ?? (20 + optionLength) / 4) << 4);
            t[13] = flags;
            Put16(t, 14, window);
            if (options != null)
            {
                for (int i = 0; i < optionLength; i++) t[20 + i] = 1;
                options.CopyTo(t, 20);
            }
            data.CopyTo(t, 20 + optionLength);
            Put16(t, 16, (ushort)(Sum(t, 0, t.Length, Checksum.Pseudo(from, to, NetStack.TcpProtocol, (uint)t.Length)) ^ (badChecksum ? 0x0101 : 0)));
            return t;
        }

        /// <summary>The options of a SYN: MSS, and optionally window scale, SACK-permitted, timestamps.</summary>
        public static byte[] SynOptions(ushort mss = 1460, int shift = -1, bool sack = false, uint tsVal = 0, uint tsEcr = 0, bool timestamps = false)
        {
            var o = new List<byte> { 2, 4, (byte)(mss >> 8), (byte)mss };
            if (shift >= 0) o.AddRange(new byte[] { 1, 3, 3, (byte)shift });
            if (sack) o.AddRange(new byte[] { 1, 1, 4, 2 });
            if (timestamps) o.AddRange(Timestamps(tsVal, tsEcr));
            return o.ToArray();
        }

        public static byte[] Timestamps(uint tsVal, uint tsEcr)
        {
            var o = new byte[12];
            o[0] = o[1] = 1;
            o[2] = 8;
            o[3] = 10;
            Put32(o, 4, tsVal);
            Put32(o, 8, tsEcr);
            return o;
        }

        /// <summary>What a stack sent, parsed: Ethernet type, IPv4 fields, and the TCP segment
        /// (its options through the stack's own parser) or the ICMP/UDP header.</summary>
        public sealed class Parsed
        {
            public ulong To;
            public ushort Type;
            public uint Source, Destination;
            public byte Protocol;
            public ushort Fragment;
            public byte[] Payload;                      // the IPv4 payload
            public TcpSegment Tcp;
            public byte[] TcpData;
            public bool IsTcp => Type == NetStack.TypeIpv4 && Protocol == NetStack.TcpProtocol;
            public bool Has(byte flag) => IsTcp && Tcp.Has(flag);
            public override string ToString() => IsTcp
                ? $"TCP flags {Tcp.Flags:X2} seq {Tcp.SeqNo} ack {Tcp.AckNo} win {Tcp.Window} len {Tcp.Length}"
                : $"type {Type:X4} protocol {Protocol}";
        }

        public static Parsed Parse(byte[] f)
        {
            var p = new Parsed { Type = Get16(f, 12) };
            for (int i = 5; i >= 0; i--) p.To = p.To << 8 | f[i];
            if (p.Type != NetStack.TypeIpv4) return p;
            int header = (f[14] & 15) * 4, total = Get16(f, 16);
            p.Protocol = f[23];
            p.Fragment = Get16(f, 20);
            p.Source = Get32(f, 26);
            p.Destination = Get32(f, 30);
            p.Payload = f.AsSpan(14 + header, total - header).ToArray();
            if (p.Protocol == NetStack.TcpProtocol)
            {
                fixed (byte* t = p.Payload)
                {
                    Assert.True(p.Tcp.Parse(t, (uint)p.Payload.Length), "the stack sent a TCP header it cannot parse");
                    p.TcpData = p.Payload.AsSpan((int)(p.Payload.Length - p.Tcp.Length)).ToArray();
                    p.Tcp.Data = null;
                }
                Assert.Equal(0, Sum(p.Payload, 0, p.Payload.Length, Checksum.Pseudo(p.Source, p.Destination, NetStack.TcpProtocol, (uint)p.Payload.Length)));
            }
            Assert.Equal(0, Sum(f, 14, header));
            return p;
        }
    }
}
