// TCP between two stacks in memory: the handshake with its options, data both ways byte-exact
// on a clean and on a lossy link (drop, duplicate, reorder, corrupt), the closing sequences
// (active, passive, simultaneous) through TIME-WAIT, and simultaneous open.
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class TcpTests
    {
        [Fact]
        public void HandshakeNegotiatesOptions()
        {
            var rig = new Rig();
            var (a, b) = rig.Connect();
            TcpConnection ca = rig.A.Connection(a), cb = rig.B.Connection(b);
            Assert.Equal(TcpState.Established, ca.State);
            Assert.Equal(TcpState.Established, cb.State);
            Assert.True(ca.TsOk && cb.TsOk, "timestamps");
            Assert.True(ca.SackOk && cb.SackOk, "SACK");
            Assert.Equal(1, ca.SndShift);               // 64 KiB buffers need a shift of 1
            Assert.Equal(1460 - 12, ca.Mss);
            Assert.True(cb.Srtt > 0, "an RTT sample from the SYN");
        }

        [Fact]
        public void OptionsOffWhenDisabled()
        {
            var rig = new Rig(1, c => { c.Sack = false; c.Timestamps = false; c.WindowScale = false; });
            var (a, _) = rig.Connect();
            TcpConnection ca = rig.A.Connection(a);
            Assert.False(ca.TsOk || ca.SackOk);
            Assert.Equal(0, ca.SndShift);
            Assert.Equal(1460, ca.Mss);
        }

        [Fact]
        public void BulkBothWaysClean()
        {
            var rig = new Rig();
            var (a, b) = rig.Connect();
            Bulk.Exchange(rig, a, b, 4 << 20, 120_000);
            Assert.Equal(0, rig.A.Counters.RetransmitsTimeout + rig.B.Counters.RetransmitsTimeout);
        }

        [Fact]
        public void BatchesSendFewerAcks()
        {
            long Segments(bool batch, double drop)
            {
                var rig = new Rig(7) { Batch = batch };
                var (a, b) = rig.Connect();
                rig.Drop = drop; rig.Reorder = drop;
                Bulk.Exchange(rig, a, b, 2 << 20, 600_000);
                return rig.A.Counters.SegmentsOut + rig.B.Counters.SegmentsOut;
            }
            long plain = Segments(false, 0), batched = Segments(true, 0);
            Assert.True(batched < plain, $"batched {batched} segments, unbatched {plain}");
            Segments(true, 0.05);                       // byte-exact under loss too (Exchange asserts it)
        }

        /// <summary>Knowledge-based packet merging (NetConfig.MergeAcks): the ACK of B's SYN-ACK
        /// rides on the request B's program writes in the turn the SYN-ACK arrived, and the ACK A
        /// owes for the request's two segments rides on the response A's program writes in the
        /// turn they arrived: no pure ACK on the wire until B has the response. Without merging
        /// each side sends one.</summary>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void MergedAcksRideOnTheProgramsData(bool merge)
        {
            var rig = new Rig(3, c => c.MergeAcks = merge) { Batch = true };
            int pureAcksFromA = 0, pureAcksFromB = 0;
            rig.Filter = (fromA, f) =>
            {
                uint ipHeader = (uint)(f[14] & 15) * 4, total = (uint)(f[16] << 8 | f[17]);
                int tcp = 14 + (int)ipHeader;
                uint data = total - ipHeader - (uint)(f[tcp + 12] >> 4) * 4;
                if (f[23] == 6 && (f[tcp + 13] & 0x3F) == TcpSegment.Ack && data == 0)
                {
                    if (fromA) pureAcksFromA++;
                    else pureAcksFromB++;
                }
                return true;
            };
            int listener = rig.A.TcpListen(80, 8);
            int b = rig.B.TcpConnect(Rig.IpA, 80);
            Assert.True(rig.RunUntil(() => (rig.B.Readiness(b) & NetStack.Connected) != 0, 5_000), "B connected");
            byte[] request = new byte[2 * (1460 - 12)], response = new byte[100], got = new byte[4096];
            Assert.Equal(request.Length, Rig.Send(rig.B, b, request, 0, request.Length));
            int a = -1;
            Assert.True(rig.RunUntil(() => (a >= 0 || (a = rig.A.TcpAccept(listener)) >= 0) && rig.A.Connection(a).Receive.Count == request.Length, 5_000), "A got the request");
            Assert.Equal(response.Length, Rig.Send(rig.A, a, response, 0, response.Length));
            Assert.True(rig.RunUntil(() => rig.B.Connection(b).Receive.Count == response.Length, 5_000), "B got the response");
            Assert.Equal(merge ? 0 : 1, pureAcksFromB);
            Assert.Equal(merge ? 0 : 1, pureAcksFromA);
            Assert.Equal(response.Length, Rig.Receive(rig.B, b, got));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void BulkBothWaysLossy(int seed)
        {
            var rig = new Rig(seed);
            var (a, b) = rig.Connect();
            rig.Drop = 0.05; rig.Reorder = 0.05; rig.Duplicate = 0.01; rig.Corrupt = 0.005;
            Bulk.Exchange(rig, a, b, 2 << 20, 600_000);
            NetCounters c = rig.A.Counters, d = rig.B.Counters;
            Assert.True(c.RetransmitsFast + d.RetransmitsFast > 0, "fast retransmit");
            Assert.True(c.RetransmitsTimeout + d.RetransmitsTimeout > 0, "timeout retransmit");
            Assert.True(c.TcpBadChecksum + d.TcpBadChecksum + c.IpBadChecksum + d.IpBadChecksum > 0, "corruption caught");
        }

        [Fact]
        public void LossyWithoutSackOrTimestamps()
        {
            var rig = new Rig(9, c => { c.Sack = false; c.Timestamps = false; });
            var (a, b) = rig.Connect();
            rig.Drop = 0.05; rig.Reorder = 0.05;
            Bulk.Exchange(rig, a, b, 1 << 20, 600_000);
        }

        [Fact]
        public void ActiveCloseGoesThroughTimeWait()
        {
            var rig = new Rig(1, c => c.TimeWait = 2_000);
            var (a, b) = rig.Connect();
            rig.B.TcpClose(b);
            Assert.True(rig.RunUntil(() => rig.A.TcpStateOf(a) == TcpState.CloseWait, 2_000));
            byte[] buffer = new byte[16];
            Assert.Equal(0, Rig.Receive(rig.A, a, buffer));                // end of stream
            rig.A.TcpClose(a);
            int before = rig.B.ConnectionsInUse;
            Assert.True(rig.RunUntil(() => rig.A.ConnectionsInUse == 1, 2_000), "passive side freed after LAST-ACK");
            Assert.Equal(before, rig.B.ConnectionsInUse);                  // B in TIME-WAIT
            rig.Run(2_100);
            Assert.Equal(0, rig.B.ConnectionsInUse);
        }

        [Fact]
        public void SimultaneousClose()
        {
            var rig = new Rig(1, c => c.TimeWait = 1_000);
            var (a, b) = rig.Connect();
            TcpConnection ca = rig.A.Connection(a), cb = rig.B.Connection(b);
            rig.Latency = 5;
            rig.A.TcpShutdown(a);
            rig.B.TcpShutdown(b);
            bool sawClosing = false;
            Assert.True(rig.RunUntil(() =>
            {
                sawClosing |= ca.State == TcpState.Closing || cb.State == TcpState.Closing;
                return ca.State == TcpState.TimeWait && cb.State == TcpState.TimeWait;
            }, 5_000), $"states {ca.State} {cb.State}");
            Assert.True(sawClosing, "CLOSING seen");
            rig.Run(1_100);
            Assert.Equal(TcpState.Closed, ca.State);
        }

        [Fact]
        public void SimultaneousOpen()
        {
            var rig = new Rig();
            rig.Latency = 5;
            int a = rig.A.TcpConnect(Rig.IpB, 5000, 6000);
            int b = rig.B.TcpConnect(Rig.IpA, 6000, 5000);
            bool sawSynReceived = false;
            Assert.True(rig.RunUntil(() =>
            {
                sawSynReceived |= rig.A.TcpStateOf(a) == TcpState.SynReceived;
                return rig.A.TcpStateOf(a) == TcpState.Established && rig.B.TcpStateOf(b) == TcpState.Established;
            }, 10_000));
            Assert.True(sawSynReceived);
            var atA = new Bulk(100_000, 1, 2);
            var atB = new Bulk(100_000, 2, 1);
            Assert.True(rig.RunUntil(() => { atA.Pump(rig.A, a); atB.Pump(rig.B, b); return atA.Done && atB.Done; }, 10_000));
            Assert.False(atA.Mismatch || atB.Mismatch);
        }

        [Fact]
        public void ConnectToClosedPortIsRefused()
        {
            var rig = new Rig();
            int b = rig.B.TcpConnect(Rig.IpA, 81);
            Assert.True(rig.RunUntil(() => rig.B.TcpStateOf(b) == TcpState.Closed, 2_000));
            byte[] x = new byte[4];
            Assert.Equal(NetError.Refused, Rig.Receive(rig.B, b, x));
            Assert.Equal(1, rig.A.Counters.ResetsOut);
        }

        [Fact]
        public void UnreadDataOnCloseSendsReset()
        {
            var rig = new Rig();
            var (a, b) = rig.Connect();
            Assert.Equal(5, Rig.Send(rig.B, b, new byte[5], 0, 5));
            rig.Run(100);
            rig.A.TcpClose(a);
            rig.Run(10);
            Assert.Equal(NetError.Reset, Rig.Receive(rig.B, b, new byte[4]));
        }

        [Fact]
        public void ClosedPortResetsAndPoolIsReused()
        {
            var rig = new Rig(1, c => { c.TimeWait = 500; c.TcpConnections = 8; });
            int listener = rig.A.TcpListen(80, 4);
            for (int round = 0; round < 40; round++)
            {
                int b = rig.B.TcpConnect(Rig.IpA, 80);
                Assert.True(b >= 0, "connect " + round + ": " + b);
                int a = -1;
                Assert.True(rig.RunUntil(() => (a = rig.A.TcpAccept(listener)) >= 0, 3_000), "accept " + round);
                rig.B.TcpClose(b);
                rig.RunUntil(() => rig.A.TcpStateOf(a) == TcpState.CloseWait, 1_000);
                rig.A.TcpClose(a);
                rig.Run(20);
            }
            Assert.True(rig.B.Counters.TimeWaitRecycled > 0 || rig.B.ConnectionsInUse <= 8);
        }

        /// <summary>With every control block in TIME-WAIT, a new connection takes the block that
        /// entered TIME-WAIT first, then the next (the stack keeps them in that order).</summary>
        [Fact]
        public void FullPoolRecyclesTheOldestTimeWait()
        {
            var rig = new Rig(2, c => { c.TimeWait = 60_000; c.TcpConnections = 5; });
            int listener = rig.A.TcpListen(80, 4);
            var order = new List<int>();
            int Round()
            {
                int b = rig.B.TcpConnect(Rig.IpA, 80);
                Assert.True(b >= 0, "connect: " + b);
                int a = -1;
                Assert.True(rig.RunUntil(() => (a = rig.A.TcpAccept(listener)) >= 0 && (rig.B.Readiness(b) & NetStack.Connected) != 0, 3_000), "accept");
                TcpConnection cb = rig.B.Connection(b);
                rig.B.TcpClose(b);
                rig.RunUntil(() => rig.A.TcpStateOf(a) == TcpState.CloseWait, 1_000);
                rig.A.TcpClose(a);
                Assert.True(rig.RunUntil(() => cb.State == TcpState.TimeWait, 1_000), "B in TIME-WAIT");
                rig.Run(5);
                return b;
            }
            for (int k = 0; k < 5; k++) order.Add(Round());
            Assert.Equal(0, rig.B.Counters.TimeWaitRecycled);
            Assert.Equal(order[0], Round());
            Assert.Equal(order[1], Round());
            Assert.Equal(2, rig.B.Counters.TimeWaitRecycled);
        }
    }
}
