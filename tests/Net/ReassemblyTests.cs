// IPv4 reassembly (Reassembly.cs) on its own and through the stack: fragments in order,
// reversed and shuffled give the datagram byte-exact; overlapping or duplicate fragments, data
// past the last fragment and a second last fragment discard the datagram; more datagrams at
// once than slots, fragments too large, and datagrams left incomplete past the timeout are
// dropped and counted; a slot given up is usable again.
using System.Runtime.InteropServices;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public unsafe class ReassemblyTests
    {
        private const uint Max = 4096;
        private const long Timeout = 1_000;
        private readonly NetCounters _counters = new NetCounters();
        private readonly Reassembly _r;
        private readonly byte[] _datagram = Bulk.Pattern(3000, 5);

        public ReassemblyTests()
        {
            ulong size = 4 * (Max + 8 + Max / 64 + 256) + 4096;
            _r = new Reassembly(2, Max, Timeout, new Arena((byte*)NativeMemory.AllocZeroed((nuint)size), size), _counters);
        }

        /// <summary>Adds bytes [offset, offset + length) of _datagram as a fragment of datagram id;
        /// the reassembled payload when it completes, else null.</summary>
        private byte[] Add(ushort id, int offset, int length, bool? more = null, long now = 0, byte[] source = null)
        {
            source ??= _datagram;
            bool mf = more ?? offset + length < source.Length;
            fixed (byte* d = source)
            {
                if (!_r.Add(0x0A00_0002, 0x0A00_0001, 17, id, (uint)offset, mf, d + offset, (uint)length, now, out byte* p, out uint total))
                    return null;
                var got = new byte[total];
                Marshal.Copy((IntPtr)p, got, 0, (int)total);
                return got;
            }
        }

        private static (int offset, int length)[] Pieces(int total, int size)
        {
            var list = new List<(int, int)>();
            for (int at = 0; at < total; at += size) list.Add((at, Math.Min(size, total - at)));
            return list.ToArray();
        }

        [Fact]
        public void InOrderReversedAndShuffled()
        {
            var pieces = Pieces(_datagram.Length, 512);
            foreach (var order in new[] { pieces, pieces.Reverse().ToArray(), pieces.OrderBy(p => (p.offset * 7919) % 13).ToArray() })
            {
                byte[] got = null;
                for (int i = 0; i < order.Length; i++)
                {
                    got = Add(9, order[i].offset, order[i].length);
                    Assert.True((got != null) == (i == order.Length - 1), "complete only at the last fragment, " + i);
                }
                Assert.Equal(_datagram, got);
            }
            Assert.Equal(3, _counters.Reassembled);
            Assert.Equal(0, _r.InUse);
        }

        [Fact]
        public void OverlapDiscardsTheDatagram()
        {
            Assert.Null(Add(1, 0, 1024));
            Assert.Null(Add(1, 1016, 512));                          // one unit already received
            Assert.Equal(1, _counters.FragmentOverlaps);
            Assert.Equal(0, _r.InUse);
            // The rest arriving afterwards cannot complete it: it starts a new datagram.
            Assert.Null(Add(1, 1024, _datagram.Length - 1024));
            Assert.Equal(0, _counters.Reassembled);
        }

        [Fact]
        public void DuplicateFragmentDiscardsTheDatagram()
        {
            Assert.Null(Add(2, 0, 1024));
            Assert.Null(Add(2, 0, 1024));
            Assert.Equal(1, _counters.FragmentOverlaps);
            Assert.Equal(0, _r.InUse);
        }

        [Fact]
        public void DataPastTheEndOrASecondLastFragmentDiscards()
        {
            Assert.Null(Add(3, 2048, 952));                           // the last fragment: 3000 bytes
            Assert.Null(Add(3, 3000, 8, more: true));                 // beyond it
            Assert.Equal(1, _counters.FragmentOverlaps);
            Assert.Null(Add(4, 1024, 1024, more: false));             // a last fragment ending at 2048
            Assert.Null(Add(4, 0, 1000, more: false));                // and another, ending elsewhere
            Assert.Equal(2, _counters.FragmentOverlaps);
            Assert.Null(Add(5, 1024, 1024));
            Assert.Null(Add(5, 0, 512, more: false));                 // a last fragment below data already received
            Assert.Equal(3, _counters.FragmentOverlaps);
            Assert.Equal(0, _r.InUse);
        }

        [Fact]
        public void TooLargeOrMisalignedFragmentsAreRefused()
        {
            Assert.Null(Add(6, 0, 100, more: true));                  // not a multiple of 8 and not last
            Assert.Null(Add(6, 0, 0, more: true));                    // empty
            var big = new byte[Max + 8];
            Assert.Null(Add(6, (int)Max - 8, 16, more: false, source: big));   // past ReassemblyMax
            Assert.Equal(3, _counters.FragmentTooBig);
            Assert.Equal(0, _r.InUse);
            Assert.Equal(_datagram, Reassemble(7));                   // nothing left behind
        }

        private byte[] Reassemble(ushort id, long now = 0)
        {
            byte[] got = null;
            foreach (var (offset, length) in Pieces(_datagram.Length, 1000)) got = Add(id, offset, length, now: now);
            return got;
        }

        [Fact]
        public void MoreDatagramsThanSlotsAreDropped()
        {
            Assert.Null(Add(10, 0, 1000));
            Assert.Null(Add(11, 0, 1000));
            Assert.Null(Add(12, 0, 1000));                            // two slots: the third has none
            Assert.Equal(1, _counters.FragmentNoSlot);
            Assert.Equal(2, _r.InUse);
            Assert.NotNull(Add(10, 1000, 2000));                      // the first two complete
            Assert.NotNull(Add(11, 1000, 2000));
            Assert.Equal(0, _r.InUse);
        }

        [Fact]
        public void IncompleteDatagramsTimeOut()
        {
            Assert.Null(Add(20, 0, 1000, now: 0));
            Assert.Null(Add(21, 0, 1000, now: 500));
            _r.Expire(Timeout - 1);
            Assert.Equal(2, _r.InUse);
            _r.Expire(Timeout);
            Assert.Equal(1, _r.InUse);
            Assert.Equal(1, _counters.FragmentTimeouts);
            Assert.Null(Add(20, 1000, 2000, now: Timeout));            // its first part is gone
            Assert.Null(Add(21, 1000, 2000, now: Timeout + 500));      // expired as the fragment arrives
            Assert.Equal(2, _counters.FragmentTimeouts);
            Assert.Equal(0, _counters.Reassembled);
            Assert.Equal(_datagram, Reassemble(22, now: 10 * Timeout));
        }

        /// <summary>Through the stack: a UDP datagram of 3000 bytes in three fragments (out of
        /// order) reaches its socket; an ICMP echo in fragments is answered; the same with an
        /// overlap reaches nobody.</summary>
        [Fact]
        public void FragmentedDatagramsThroughTheStack()
        {
            var peer = new Peer();
            int sock = peer.S.UdpBind(53);
            var data = Bulk.Pattern(3000, 8);
            byte[] udp = Frames.Udp(Peer.RemoteIp, Peer.Ip, 1234, 53, data);
            void Fragment(ushort id, int offset, int length) =>
                peer.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.UdpProtocol, udp.AsSpan(offset, length).ToArray(), id, offset, offset + length < udp.Length));
            Fragment(77, 1480, 1480);
            Fragment(77, 2960, udp.Length - 2960);
            Fragment(77, 0, 1480);
            var got = new byte[4000];
            int n;
            fixed (byte* g = got) n = peer.S.UdpReceive(sock, g, 4000, out uint from, out ushort port);
            Assert.Equal(3000, n);
            Assert.Equal(data, got.AsSpan(0, n).ToArray());

            Fragment(78, 0, 1480);
            Fragment(78, 1472, 1488);                                  // overlaps by one unit
            Fragment(78, 2960, udp.Length - 2960);
            Assert.False(peer.S.UdpReadable(sock));
            Assert.Equal(1, peer.S.Counters.FragmentOverlaps);

            byte[] echo = Frames.Icmp(8, 0, 0x1234_0001, Bulk.Pattern(1392, 9));
            peer.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, echo.AsSpan(0, 800).ToArray(), 90, 0, true));
            Assert.Empty(peer.Take());
            peer.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.Icmp, echo.AsSpan(800).ToArray(), 90, 800, false));
            var reply = peer.Take().Single();
            Assert.Equal(NetStack.Icmp, reply.Protocol);
            Assert.Equal(0, reply.Payload[0]);
            Assert.Equal(echo.AsSpan(4).ToArray(), reply.Payload.AsSpan(4).ToArray());
            Assert.Equal(2, peer.S.Counters.Reassembled);
        }
    }
}
