// ARP, ICMP and DHCP against a scripted peer: the ARP cache's expiry (a resolved entry is
// asked for again after ArpLifetime, the held frame goes once answered; a full table evicts
// the entry that expires first), ICMP echo and destination unreachable both ways (port and
// protocol unreachable out at most ten a second; a port unreachable aborts a connection being
// opened; "fragmentation needed" lowers the MSS only for data in flight), and the DHCP client
// through garbage (wrong transaction, truncated, bad magic, options running past the end)
// to a lease, and a NAK sending it back to DISCOVER.
using System.Runtime.InteropServices;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public unsafe class LinkServiceTests
    {
        private static int UdpSend(NetStack s, int h, uint to, ushort port, int length)
        {
            var data = new byte[length];
            fixed (byte* d = data) return s.UdpSend(h, to, port, d, (uint)length);
        }

        [Fact]
        public void ArpEntriesExpireAndAreAskedForAgain()
        {
            var p = new Peer(c => c.ArpLifetime = 5_000);
            int u = p.S.UdpBind(5000);
            UdpSend(p.S, u, Peer.RemoteIp, 7, 10);
            var direct = p.Take().Single();
            Assert.Equal(NetStack.UdpProtocol, direct.Protocol);
            Assert.Equal(Peer.RemoteMac, direct.To);
            Assert.Equal(0, p.ArpRequestsSeen);
            p.Advance(5_000);
            p.AnswerArp = false;
            UdpSend(p.S, u, Peer.RemoteIp, 7, 10);
            var ask = p.Take().Single();                                 // expired: the datagram is held, ARP asks
            Assert.Equal(NetStack.TypeArp, ask.Type);
            Assert.Equal(NetStack.Broadcast, ask.To);
            Assert.Equal(1, p.ArpRequestsSeen);
            Assert.Empty(p.Advance(999));                                // asked again only after ArpRetry
            UdpSend(p.S, u, Peer.RemoteIp, 7, 10);
            Assert.Empty(p.Take());
            Assert.Equal(1, p.S.Counters.ArpHeldDropped);                // the newer datagram replaced the held one
            p.Advance(1);
            UdpSend(p.S, u, Peer.RemoteIp, 7, 10);
            Assert.Equal(NetStack.TypeArp, p.Take().Single().Type);
            p.Inject(Frames.Ethernet(Peer.Mac, Peer.RemoteMac, NetStack.TypeArp, Frames.Arp(2, Peer.RemoteMac, Peer.RemoteIp, Peer.Mac, Peer.Ip)));
            var released = p.Take().Single();
            Assert.Equal(NetStack.UdpProtocol, released.Protocol);
            Assert.Equal(Peer.RemoteMac, released.To);
            Assert.Equal(1, p.S.Counters.ArpHeldSent);
        }

        [Fact]
        public void ArpCacheEvictsTheEntryThatExpiresFirst()
        {
            ulong size = 8 * 1600;
            var cache = new ArpCache(4, 1_000, new Arena((byte*)NativeMemory.AllocZeroed((nuint)size), size));
            for (uint i = 1; i <= 4; i++) cache.Update(i, 0x100 + i, 100 * i, true);
            Assert.True(cache.Lookup(1, 500, out ulong mac) && mac == 0x101);
            cache.Update(5, 0x105, 600, true);                           // full: entry 1 (expires at 1100) goes
            Assert.False(cache.Lookup(1, 600, out _));
            Assert.True(cache.Lookup(2, 600, out _));
            Assert.Equal(-1, cache.Update(9, 0x109, 600, false));        // a merge never creates
            Assert.False(cache.Lookup(2, 1_200, out _));                 // 200 + 1000: expired
            Assert.True(cache.Lookup(5, 1_599, out _));
            int pending = cache.Pending(7, 2_000);
            Assert.False(cache.Lookup(7, 2_000, out _));                  // pending: no address yet
            Assert.Equal(-1, cache.Find(7, 5_000));                       // an unanswered request gives up after 3 s
            Assert.True(pending >= 0);
        }

        [Fact]
        public void ArpGarbageIsCountedAndChangesNothing()
        {
            var p = new Peer();
            long bad = p.S.Counters.ArpBad;
            byte[] good = Frames.Arp(1, 0x0000_0303_0002, 0x0A00_0003, 0, Peer.Ip);
            foreach (var (at, value) in new[] { (0, 2), (2, 0x86), (4, 8), (5, 16), (6, 7) })
            {
                var a = (byte[])good.Clone();
                a[at + 1] = (byte)value;                                 // hardware type, protocol, lengths, op
                p.Inject(Frames.Ethernet(Peer.Mac, 0x0000_0303_0002, NetStack.TypeArp, a));
            }
            var multicast = Frames.Arp(1, 0x0000_0303_0001, 0x0A00_0003, 0, Peer.Ip);   // a group address as sender
            p.Inject(Frames.Ethernet(Peer.Mac, 0x0000_0303_0002, NetStack.TypeArp, multicast));
            var mine = Frames.Arp(1, 0x0000_0303_0002, Peer.Ip, 0, Peer.Ip);           // claiming our own address
            p.Inject(Frames.Ethernet(Peer.Mac, 0x0000_0303_0002, NetStack.TypeArp, mine));
            var shortFrame = Frames.Ethernet(Peer.Mac, 0x0000_0303_0002, NetStack.TypeArp, good).AsSpan(0, 30).ToArray();
            p.Inject(shortFrame);
            Assert.Equal(8, p.S.Counters.ArpBad - bad);
            Assert.Empty(p.Take());
        }

        [Fact]
        public void IcmpEchoAndErrors()
        {
            var p = new Peer();
            byte[] request = Frames.Icmp(8, 0, 0xBEEF_0007, Bulk.Pattern(56, 3));
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, request));
            var reply = p.Take().Single();
            Assert.Equal(0, reply.Payload[0]);
            Assert.Equal(request.AsSpan(4).ToArray(), reply.Payload.AsSpan(4).ToArray());
            Assert.Equal(0, Frames.Sum(reply.Payload, 0, reply.Payload.Length));
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, Frames.Icmp(8, 0, 1, new byte[8], badChecksum: true)));
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, new byte[4]));
            p.InjectIp(Frames.Ip(Peer.RemoteIp, 0x0A00_00FF, NetStack.Icmp, request));   // to the broadcast address: no answer
            Assert.Empty(p.Take());
            Assert.Equal(2, p.S.Counters.IcmpBad);

            // Port unreachable for a datagram nobody listens to, quoting its header; ten a second at most.
            byte[] udp = Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.UdpProtocol, Frames.Udp(Peer.RemoteIp, Peer.Ip, 999, 4444, new byte[20]));
            p.InjectIp(udp);
            var unreachable = p.Take().Single();
            Assert.Equal(3, unreachable.Payload[0]);
            Assert.Equal(3, unreachable.Payload[1]);
            Assert.Equal(udp.AsSpan(0, 28).ToArray(), unreachable.Payload.AsSpan(8, 28).ToArray());
            for (int i = 0; i < 50; i++) p.InjectIp(udp);
            Assert.Empty(p.Take());
            int sent = 0;
            for (int ms = 0; ms < 1000; ms++) { p.Advance(1); p.InjectIp(udp); sent += p.Take().Count; }
            Assert.Equal(10, sent);
            p.Advance(100);
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, 99, new byte[8]));    // an unknown protocol
            var protocol = p.Take().Single();
            Assert.Equal(3, protocol.Payload[0]);
            Assert.Equal(2, protocol.Payload[1]);
        }

        private static byte[] Quote(uint seq, ushort localPort, ushort remotePort)
        {
            byte[] tcp = Frames.Tcp(Peer.Ip, Peer.RemoteIp, localPort, remotePort, seq, 0, TcpSegment.Syn, 1000);
            return Frames.Ip(Peer.Ip, Peer.RemoteIp, NetStack.TcpProtocol, tcp).AsSpan(0, 28).ToArray();
        }

        [Fact]
        public void UnreachableAbortsAnOpeningConnectionAndFragmentationNeededLowersTheMss()
        {
            var p = new Peer();
            int h = p.S.TcpConnect(Peer.RemoteIp, 81);
            var syn = p.TakeTcp().Single();
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, Frames.Icmp(3, 3, 0, Quote(syn.Tcp.SeqNo + 5000, syn.Tcp.SourcePort, 81))));
            Assert.Equal(TcpState.SynSent, p.S.TcpStateOf(h));          // a sequence number not in flight: ignored
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, Frames.Icmp(3, 3, 0, Quote(syn.Tcp.SeqNo, syn.Tcp.SourcePort, 81))));
            Assert.Equal(NetError.Unreachable, p.ReceiveAtS(h, new byte[4]));

            int c = p.Open();
            Assert.Equal(1460, p.S.Connection(c).Mss);
            p.SendFromS(c, 3000);
            var data = p.TakeTcp();
            uint first = data[0].Tcp.SeqNo;
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, Frames.Icmp(3, 4, 1000, Quote(first - 10_000, p.Port, p.RemotePort))));
            Assert.Equal(1460, p.S.Connection(c).Mss);                  // not in flight
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, Frames.Icmp(3, 4, 400, Quote(first, p.Port, p.RemotePort))));
            Assert.Equal(1460, p.S.Connection(c).Mss);                  // below 576: refused
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, Frames.Icmp(3, 4, 1000, Quote(first, p.Port, p.RemotePort))));
            Assert.Equal(960, p.S.Connection(c).Mss);
            var again = p.TakeTcp();
            Assert.True(again.Count > 0 && again.All(f => f.Tcp.Length <= 960), "sent again in smaller segments");
            Assert.Equal(first, again[0].Tcp.SeqNo);
        }

        // DHCP

        private static byte[] Dhcp(uint xid, byte type, uint yiaddr, ulong mac, params byte[][] options)
        {
            var d = new List<byte>(new byte[240]);
            d[0] = 2; d[1] = 1; d[2] = 6;
            var b = d.ToArray();
            Frames.Put32(b, 4, xid);
            Frames.Put32(b, 16, yiaddr);
            Frames.PutMac(b, 28, mac);
            Frames.Put32(b, 236, 0x63825363);
            var all = new List<byte>(b) { 53, 1, type };
            foreach (var o in options) all.AddRange(o);
            all.Add(255);
            return all.ToArray();
        }

        private static void Offer(Peer p, byte[] dhcp) =>
            p.Inject(Frames.Ethernet(NetStack.Broadcast, 0x0000_0202_0A00, NetStack.TypeIpv4,
                Frames.Ip(0x0A00_0202, 0xFFFF_FFFF, NetStack.UdpProtocol, Frames.Udp(0x0A00_0202, 0xFFFF_FFFF, 67, 68, dhcp))));

        [Fact]
        public void DhcpThroughGarbageToALease()
        {
            var p = new Peer(c => c.Address = 0, learnRemote: false);
            p.S.DhcpStart();
            var discover = p.Take().Single();
            Assert.Equal(0xFFFF_FFFFu, discover.Destination);
            uint xid = Frames.Get32(discover.Payload, 8 + 4);
            Assert.Equal(1, discover.Payload[8 + 242]);                   // option 53: DISCOVER
            uint offered = 0x0A00_020F;
            byte[] server = { 54, 4, 10, 0, 2, 2 }, mask = { 1, 4, 255, 255, 255, 0 }, router = { 3, 4, 10, 0, 2, 2 }, dns = { 6, 4, 10, 0, 2, 3 };
            var good = Dhcp(xid, 2, offered, Peer.Mac, server);
            var wrongXid = Dhcp(xid + 1, 2, 0x0A00_0263, Peer.Mac, server);
            var truncated = good.AsSpan(0, 200).ToArray();
            var badMagic = (byte[])good.Clone(); badMagic[236] = 0;
            var request = (byte[])good.Clone(); request[0] = 1;           // a BOOTREQUEST, not a reply
            var runaway = Dhcp(xid, 2, 0x0A00_0264, Peer.Mac, new byte[] { 1, 200, 1, 2 });      // an option past the end
            var noType = Dhcp(xid, 2, 0x0A00_0265, Peer.Mac); noType[242] = 7;                 // "53" of length 1 with type 7
            foreach (var g in new[] { wrongXid, truncated, badMagic, request, runaway, noType }) Offer(p, g);
            Assert.Empty(p.Take());
            Assert.False(p.S.DhcpBound);
            Offer(p, good);
            var req = p.Take().Single();
            Assert.Equal(3, req.Payload[8 + 242]);                         // REQUEST
            Assert.Equal(offered, Frames.Get32(req.Payload, 8 + 245));     // option 50: the address offered
            Assert.Equal(0x0A00_0202u, Frames.Get32(req.Payload, 8 + 251));// option 54: the server
            // An ACK for another address, then an ACK with padding, a zero-length option and the rest.
            Offer(p, Dhcp(xid, 5, offered + 1, Peer.Mac, server));
            Assert.False(p.S.DhcpBound);
            Offer(p, Dhcp(xid, 5, offered, Peer.Mac, new byte[] { 0, 0, 12, 0 }, server, mask, router, dns));
            Assert.True(p.S.DhcpBound);
            Assert.Equal(offered, p.S.Address);
            Assert.Equal(0xFFFF_FF00u, p.S.Config.Netmask);
            Assert.Equal(0x0A00_0202u, p.S.Config.Gateway);
            Assert.Equal(0x0A00_0203u, p.S.DnsServer);
            var announce = p.Take().Single();                              // a gratuitous ARP for the new address
            Assert.Equal(NetStack.TypeArp, announce.Type);
        }

        [Fact]
        public void DhcpNakStartsOverAndSilenceIsRetried()
        {
            var p = new Peer(c => c.Address = 0, learnRemote: false);
            p.S.DhcpStart();
            uint xid = Frames.Get32(p.Take().Single().Payload, 12);
            var resent = p.Advance(2_000);
            Assert.Single(resent);                                         // DISCOVER again after 2 s
            Offer(p, Dhcp(xid, 2, 0x0A00_020F, Peer.Mac, new byte[] { 54, 4, 10, 0, 2, 2 }));
            Assert.Equal(3, p.Take().Single().Payload[8 + 242]);
            Offer(p, Dhcp(xid, 6, 0, Peer.Mac));
            var next = p.Advance(1).Single().frame;
            Assert.Equal(1, next.Payload[8 + 242]);                        // back to DISCOVER
            Assert.False(p.S.DhcpBound);
            Assert.Equal(0u, p.S.Address);
        }
    }
}
