// Hostile input against a stack that carries a good connection: malformed frames at every
// layer (truncated, bad lengths, bad checksums, bad and oversized IP and TCP options), a fuzzer
// that mutates valid frames at random, a flood of 10,000 SYNs from spoofed sources, and
// out-of-window RSTs and ACKs aimed at the connection. Each is counted where the stack drops
// it; the stack's memory and control blocks are the same before and after (the flood's
// half-open blocks time out), and the good connection moves data byte-exact meanwhile.
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class HostileInputTests
    {
        private const ulong Attacker = 0x0000_0909_0002;

        private static byte[] EthIp(byte[] ip) => Frames.Ethernet(Rig.MacA, Attacker, NetStack.TypeIpv4, ip);

        private static byte[] TcpFrame(byte[] tcp, uint from = Rig.IpB) => EthIp(Frames.Ip(from, Rig.IpA, NetStack.TcpProtocol, tcp));

        /// <summary>Every kind of malformed frame, each with the counter that must take it.</summary>
        private static IEnumerable<(string what, byte[] frame, Func<NetCounters, long> counter)> Malformed()
        {
            uint a = Rig.IpA, b = Rig.IpB;
            byte[] syn = Frames.Tcp(b, a, 999, 80, 1, 0, TcpSegment.Syn, 1000, Frames.SynOptions());
            byte[] ip = Frames.Ip(b, a, NetStack.TcpProtocol, syn);
            byte[] Mutated(byte[] packet, int at, byte value) { var p = (byte[])packet.Clone(); p[at] = value; return p; }

            yield return ("a 10-byte frame", new byte[10], k => k.DropShort);
            yield return ("to another card", Frames.Ethernet(0x0000_7777_0002, Attacker, NetStack.TypeIpv4, ip), k => k.DropNotForUs);
            yield return ("an unknown Ethernet type", Frames.Ethernet(Rig.MacA, Attacker, 0x86DD, ip), k => k.DropUnknownType);
            yield return ("a truncated ARP", Frames.Ethernet(Rig.MacA, Attacker, NetStack.TypeArp, new byte[10]).AsSpan(0, 30).ToArray(), k => k.ArpBad);
            yield return ("IP version 6 in an IPv4 frame", EthIp(Mutated(ip, 0, 0x65)), k => k.IpBadHeader);
            yield return ("IP header length 4 bytes", EthIp(Mutated(ip, 0, 0x41)), k => k.IpBadHeader);
            yield return ("IP header length 60 bytes, beyond the packet", EthIp(Mutated(ip, 0, 0x4F)).AsSpan(0, 14 + 40).ToArray(), k => k.IpBadHeader);
            var longer = (byte[])ip.Clone(); Frames.Put16(longer, 2, 1400);
            yield return ("IP total length past the frame", EthIp(longer), k => k.IpBadHeader);
            var shorter = (byte[])ip.Clone(); Frames.Put16(shorter, 2, 10);
            yield return ("IP total length below the header", EthIp(shorter), k => k.IpBadHeader);
            yield return ("a truncated IPv4 header", EthIp(ip).AsSpan(0, 30).ToArray(), k => k.IpBadHeader);
            yield return ("a bad IP checksum", EthIp(Frames.Ip(b, a, NetStack.TcpProtocol, syn, badChecksum: true)), k => k.IpBadChecksum);
            yield return ("to another address", EthIp(Frames.Ip(b, 0x0A00_0063, NetStack.TcpProtocol, syn)), k => k.IpNotForUs);
            yield return ("from our own address", EthIp(Frames.Ip(a, a, NetStack.TcpProtocol, syn)), k => k.IpBadHeader);
            yield return ("from a multicast address", EthIp(Frames.Ip(0xE000_0001, a, NetStack.TcpProtocol, syn)), k => k.IpBadHeader);
            yield return ("a fragment of 3 bytes with more to come", EthIp(Frames.Ip(b, a, NetStack.UdpProtocol, new byte[3], 5, 0, true)), k => k.FragmentTooBig);
            yield return ("a fragment past 64 KiB", EthIp(Frames.Ip(b, a, NetStack.UdpProtocol, new byte[16], 5, 65528, false)), k => k.FragmentTooBig);
            yield return ("a bad TCP checksum", TcpFrame(Frames.Tcp(b, a, 999, 80, 1, 0, TcpSegment.Syn, 1000, badChecksum: true)), k => k.TcpBadChecksum);
            yield return ("a TCP data offset of 4 bytes", TcpFrame(Frames.Tcp(b, a, 999, 80, 1, 0, TcpSegment.Syn, 1000, dataOffsetWords: 1)), k => k.TcpBad);
            yield return ("a TCP data offset past the segment", TcpFrame(Frames.Tcp(b, a, 999, 80, 1, 0, TcpSegment.Syn, 1000, dataOffsetWords: 15)), k => k.TcpBad);
            yield return ("a TCP header of 12 bytes", TcpFrame(Frames.Tcp(b, a, 999, 80, 1, 0, TcpSegment.Syn, 1000).AsSpan(0, 12).ToArray()), k => k.TcpBad + k.TcpBadChecksum);
            yield return ("TCP from port 0", TcpFrame(Frames.Tcp(b, a, 0, 80, 1, 0, TcpSegment.Syn, 1000)), k => k.TcpBad);
            yield return ("a UDP length past the datagram", EthIp(Frames.Ip(b, a, NetStack.UdpProtocol, Mutated(Frames.Udp(b, a, 1, 53, new byte[4]), 5, 200))), k => k.UdpBad);
            yield return ("a 4-byte UDP header", EthIp(Frames.Ip(b, a, NetStack.UdpProtocol, new byte[4])), k => k.UdpBad);
            yield return ("a bad UDP checksum", EthIp(Frames.Ip(b, a, NetStack.UdpProtocol, Frames.Udp(b, a, 1, 53, new byte[4], badChecksum: true))), k => k.UdpBadChecksum);
            yield return ("a 4-byte ICMP message", EthIp(Frames.Ip(b, a, NetStack.Icmp, new byte[4])), k => k.IcmpBad);
            yield return ("a bad ICMP checksum", EthIp(Frames.Ip(b, a, NetStack.Icmp, Frames.Icmp(8, 0, 0, new byte[8], badChecksum: true))), k => k.IcmpBad);
            var lying = Frames.Icmp(3, 3, 0, Frames.Ip(a, b, NetStack.TcpProtocol, new byte[8]).AsSpan(0, 28).ToArray());
            lying[8] = 0x4F; Frames.Put16(lying, 2, 0); Frames.Put16(lying, 2, Frames.Sum(lying, 0, lying.Length));
            yield return ("an unreachable quoting a 60-byte header it does not carry", EthIp(Frames.Ip(b, a, NetStack.Icmp, lying)), k => k.IcmpBad);
        }

        /// <summary>TCP segments with odd options: none may crash, hang or open a connection with
        /// nonsense (MSS at least 88, window shift at most 14).</summary>
        private static IEnumerable<byte[]> OddOptions()
        {
            yield return new byte[] { 2, 0, 5, 180 };                   // MSS option of length 0
            yield return new byte[] { 2, 1, 5, 180 };                   // length 1
            yield return new byte[] { 2, 40, 5, 180 };                  // running past the header
            yield return new byte[] { 2, 4, 0, 0 };                     // MSS 0
            yield return new byte[] { 2, 4, 0, 1 };                     // MSS 1
            yield return new byte[] { 3, 3, 200, 1 };                   // window shift 200
            yield return new byte[] { 5, 34, 0, 0 };                    // a SACK block list past the header
            yield return new byte[] { 8, 10, 1, 2 };                    // a timestamp option cut short
            yield return Enumerable.Repeat((byte)1, 40).ToArray();       // 40 bytes of NOPs
            yield return Enumerable.Repeat((byte)254, 40).ToArray();     // 40 bytes of an unknown kind 254, length 254
            yield return Enumerable.Range(0, 40).Select(i => (byte)(i * 37)).ToArray();
        }

        private static unsafe void Inject(Rig rig, byte[] frame)
        {
            fixed (byte* f = frame) rig.A.Input(f, (uint)frame.Length, rig.Now);
        }

        [Fact]
        public void MalformedFramesAtEveryLayerAreCountedAndDropped()
        {
            var rig = new Rig(4);
            var (a, b) = rig.Connect();
            ulong memory = rig.A.MemoryUsed;
            int blocks = rig.A.ConnectionsInUse;
            var results = new List<string>();
            foreach (var (what, frame, counter) in Malformed())
            {
                long before = counter(rig.A.Counters);
                long segmentsBefore = rig.A.Counters.SegmentsIn;
                Inject(rig, frame);
                rig.LinkA.Sent.Clear();
                results.Add($"{what}: counter +{counter(rig.A.Counters) - before}");
                Assert.True(counter(rig.A.Counters) - before == 1, what + ": counted " + (counter(rig.A.Counters) - before));
                Assert.Equal(segmentsBefore, rig.A.Counters.SegmentsIn);
            }
            Assert.Equal(blocks, rig.A.ConnectionsInUse);
            // Odd TCP options on SYNs to the listener: answered or not, the handshake's numbers stay sane.
            ushort port = 2000;
            foreach (byte[] options in OddOptions())
            {
                Inject(rig, TcpFrame(Frames.Tcp(Rig.IpB, Rig.IpA, port++, 80, 77, 0, TcpSegment.Syn, 1000, options)));
                rig.LinkA.Sent.Clear();
            }
            int halfOpen = 0;
            foreach (TcpConnection c in Enumerable.Range(0, 64).Select(i => rig.A.Block(i)).Where(c => c.State > TcpState.Listen))
            {
                halfOpen += c.State == TcpState.SynReceived ? 1 : 0;
                Assert.InRange((int)c.Mss, 88, 1460);
                Assert.InRange(c.SndShift, 0, 14);
            }
            Assert.True(halfOpen >= 5, "SYNs with odd options answered: " + halfOpen);
            Bulk.Exchange(rig, a, b, 256 << 10, 60_000);               // the good connection still works
            Assert.Equal(memory, rig.A.MemoryUsed);
        }

        [Fact]
        public void RandomlyMutatedFramesNeverBreakTheStack()
        {
            var rig = new Rig(5);
            var (a, b) = rig.Connect();
            var random = new Random(20261208);
            var samples = new List<byte[]>();
            rig.Filter = (fromA, f) => { if (!fromA && samples.Count < 200) samples.Add((byte[])f.Clone()); return true; };
            var bulk = new Bulk[] { new Bulk(2 << 20, 1, 2), new Bulk(2 << 20, 2, 1) };
            ulong memory = rig.A.MemoryUsed;
            int injected = 0;
            Assert.True(rig.RunUntil(() =>
            {
                bulk[0].Pump(rig.A, a);
                bulk[1].Pump(rig.B, b);
                for (int k = 0; k < 200 && samples.Count > 0; k++, injected++)
                {
                    byte[] f = (byte[])samples[random.Next(samples.Count)].Clone();
                    int flips = 1 + random.Next(4);
                    for (int i = 0; i < flips; i++) f[random.Next(f.Length)] = (byte)random.Next(256);
                    if (random.Next(4) == 0) f = f.AsSpan(0, random.Next(f.Length)).ToArray();
                    Inject(rig, f);
                }
                return bulk[0].Done && bulk[1].Done;
            }, 300_000), "the good connection finished under the fuzzer");
            Assert.False(bulk[0].Mismatch || bulk[1].Mismatch, "byte-exact");
            Assert.True(injected > 20_000, "mutated frames: " + injected);
            Assert.Equal(memory, rig.A.MemoryUsed);
            Assert.True(rig.A.ConnectionsInUse <= 2 + 8, "control blocks: " + rig.A.ConnectionsInUse);
        }

        [Fact]
        public void SynFloodOutOfWindowResetsAndAcksLeaveTheGoodConnection()
        {
            var rig = new Rig(6, c => c.TcpConnections = 64);
            var (a, b) = rig.Connect();                                 // the listener on port 80 has backlog 8
            ulong memory = rig.A.MemoryUsed;
            int blocks = rig.A.ConnectionsInUse;
            TcpConnection ca = rig.A.Connection(a);
            var random = new Random(7);
            var good = new Bulk[] { new Bulk(1 << 20, 3, 4), new Bulk(1 << 20, 4, 3) };
            int flood = 0, resets = 0;
            long synAcks = 0;
            rig.Filter = (fromA, f) =>
            {
                if (fromA && f[23] == 6 && (f[47] & 0x12) == 0x12 && Frames.Get32(f, 30) != Rig.IpB) { synAcks++; return false; }
                return true;
            };
            Assert.True(rig.RunUntil(() =>
            {
                good[0].Pump(rig.A, a);
                good[1].Pump(rig.B, b);
                for (int k = 0; k < 10 && flood < 10_000; k++, flood++)
                {
                    uint from = 0xC612_0000u | (uint)random.Next(1, 0xFFFF);        // 198.18.0.0/16, spoofed
                    Inject(rig, TcpFrame(Frames.Tcp(from, Rig.IpA, (ushort)random.Next(1024, 65535), 80, (uint)random.Next(), 0,
                                                    TcpSegment.Syn, 1000, Frames.SynOptions(1460, 7, true)), from));
                }
                if (ca.State == TcpState.Established && resets < 2000)
                {
                    // Blind attacks on the good connection: RSTs and ACKs with guessed numbers outside its window.
                    uint seq = ca.RcvNxt + 0x4000_0000u + (uint)random.Next(1 << 20);
                    Inject(rig, TcpFrame(Frames.Tcp(Rig.IpB, Rig.IpA, ca.RemotePort, 80, seq, 0, TcpSegment.Rst, 0)));
                    Inject(rig, TcpFrame(Frames.Tcp(Rig.IpB, Rig.IpA, ca.RemotePort, 80, seq, ca.SndUna + 0x4000_0000u, TcpSegment.Ack, 0)));
                    Inject(rig, TcpFrame(Frames.Tcp(Rig.IpB, Rig.IpA, ca.RemotePort, 80, ca.RcvNxt, ca.SndMax + 100_000, TcpSegment.Ack | TcpSegment.Psh, 0, data: new byte[] { 66 })));
                    resets++;
                }
                return flood == 10_000 && good[0].Done && good[1].Done;
            }, 300_000), $"flood {flood}, transfers {good[0].Done} {good[1].Done}");
            Assert.False(good[0].Mismatch || good[1].Mismatch, "the good connection byte-exact");
            NetCounters k2 = rig.A.Counters;
            Assert.True(k2.SynBacklogDrops >= 10_000 - 8 * 6, "SYNs over the backlog dropped: " + k2.SynBacklogDrops);
            Assert.True(rig.A.ConnectionsInUse <= blocks + 8, "half-open blocks bounded by the backlog: " + rig.A.ConnectionsInUse);
            Assert.True(k2.OutOfWindow >= 2000, "out-of-window segments: " + k2.OutOfWindow);
            Assert.True(k2.ChallengeAcks > 0, "ACKs beyond SND.MAX challenged");
            Assert.Equal(0, k2.ResetsIn);
            rig.Run(70_000);                                             // the half-open blocks give up (5 SYN-ACK retries)
            Assert.Equal(blocks, rig.A.ConnectionsInUse);
            Assert.Equal(memory, rig.A.MemoryUsed);
            Assert.Equal(TcpState.Established, ca.State);
            Bulk.Exchange(rig, a, b, 64 << 10, 30_000);
        }
    }
}
