// Which segments an open connection takes, against a scripted peer: RFC 5961's RST rules
// (exactly at RCV.NXT resets; elsewhere in the window draws a challenge ACK; outside it is
// ignored), SYNs in a synchronized state, ACKs beyond SND.MAX or too old, the challenge-ACK
// rate limit, and PAWS (RFC 7323 section 5: a segment with an older timestamp is dropped and
// answered; RSTs are not subject to it).
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class SegmentAcceptanceTests
    {
        [Fact]
        public void ResetExactlyAtRcvNxtResets()
        {
            var p = new Peer();
            int h = p.Open();
            p.Send(TcpSegment.Rst | TcpSegment.Ack);
            Assert.Empty(p.Take());                                    // no answer to a RST
            Assert.Equal(NetError.Reset, p.ReceiveAtS(h, new byte[8]));
            Assert.Equal(1, p.S.Counters.ResetsIn);
        }

        [Fact]
        public void ResetInWindowDrawsAChallengeAck()
        {
            var p = new Peer();
            int h = p.Open();
            p.Send(TcpSegment.Rst, seq: p.Seq + 1000);
            var ack = p.TakeTcp().Single();
            Assert.True(ack.Tcp.Flags == TcpSegment.Ack, "a pure ACK: " + ack);
            Assert.Equal(p.Seq, ack.Tcp.AckNo);                        // RCV.NXT: the true peer would answer with an exact RST
            Assert.Equal(1, p.S.Counters.ChallengeAcks);
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
            Assert.Equal(0, p.S.Counters.ResetsIn);
        }

        [Theory]
        [InlineData(70_000u)]                                          // above the window (64 KiB buffer)
        [InlineData(0xFFFF_FF00u)]                                     // below RCV.NXT
        public void ResetOutsideTheWindowIsIgnored(uint distance)
        {
            var p = new Peer();
            int h = p.Open();
            p.Send(TcpSegment.Rst | TcpSegment.Ack, seq: p.Seq + distance);
            Assert.Empty(p.Take());
            Assert.Equal(1, p.S.Counters.OutOfWindow);
            Assert.Equal(0, p.S.Counters.ChallengeAcks);
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
        }

        [Fact]
        public void SynInASynchronizedStateDrawsAChallengeAck()
        {
            var p = new Peer();
            int h = p.Open();
            p.Send(TcpSegment.Syn, seq: p.Seq + 10);                  // in the window
            var ack = p.TakeTcp().Single();
            Assert.Equal(TcpSegment.Ack, ack.Tcp.Flags);
            Assert.Equal(p.Seq, ack.Tcp.AckNo);
            Assert.Equal(1, p.S.Counters.ChallengeAcks);
            p.Send(TcpSegment.Syn, seq: p.Seq - 100_000);              // outside: the plain ACK of RFC 9293
            var plain = p.TakeTcp().Single();
            Assert.Equal(TcpSegment.Ack, plain.Tcp.Flags);
            Assert.Equal(1, p.S.Counters.ChallengeAcks);
            Assert.Equal(1, p.S.Counters.OutOfWindow);
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
        }

        [Fact]
        public void AcksBeyondSndMaxOrTooOldAreChallengedAndTheirDataDropped()
        {
            var p = new Peer();
            int h = p.Open(window: 1000);
            p.Send(TcpSegment.Ack | TcpSegment.Psh, new byte[] { 1, 2, 3 }, ack: p.Ack + 5000);
            var ack = p.TakeTcp().Single();
            Assert.Equal(p.Seq - 3, ack.Tcp.AckNo);                    // the data was not taken
            Assert.Equal(0u, p.S.Connection(h).Receive.Count);
            Assert.Equal(1, p.S.Counters.ChallengeAcks);
            p.Seq -= 3;
            p.Send(TcpSegment.Ack, new byte[] { 1 }, ack: p.Ack - 70_000);    // older than SND.UNA - MaxSndWnd
            Assert.Equal(2, p.S.Counters.ChallengeAcks);
            Assert.Equal(0u, p.S.Connection(h).Receive.Count);
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
        }

        [Fact]
        public void ChallengeAcksAreRateLimited()
        {
            var p = new Peer(c => c.ChallengeAcksPerSecond = 100);
            int h = p.Open();
            for (int i = 0; i < 250; i++) p.Send(TcpSegment.Rst, seq: p.Seq + 1 + (uint)i);
            Assert.Equal(100, p.TakeTcp().Count);
            Assert.Equal(100, p.S.Counters.ChallengeAcks);
            p.Advance(1000);                                           // the next second allows more
            p.Send(TcpSegment.Rst, seq: p.Seq + 1);
            Assert.Single(p.TakeTcp());
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
        }

        [Fact]
        public void PawsDropsOldTimestampsButNotResets()
        {
            var p = new Peer();
            int h = p.Open(timestamps: true);
            Assert.True(p.S.Connection(h).TsOk);
            p.TsVal = 6000;
            p.Send(TcpSegment.Ack | TcpSegment.Psh, new byte[] { 1, 2 });
            Assert.Equal(2u, p.S.Connection(h).Receive.Count);
            Assert.Equal(6000u, p.S.Connection(h).TsRecent);
            p.Advance(100);
            p.Take();
            p.Send(TcpSegment.Ack | TcpSegment.Psh, new byte[] { 3, 4 }, tsVal: 5999);   // older: a wrapped or stale segment
            var answer = p.TakeTcp().Single();
            Assert.Equal(p.Seq - 2, answer.Tcp.AckNo);
            Assert.Equal(1, p.S.Counters.PawsDrops);
            Assert.Equal(2u, p.S.Connection(h).Receive.Count);
            p.Seq -= 2;
            p.Send(TcpSegment.Ack | TcpSegment.Psh, new byte[] { 3, 4 }, tsVal: 6001);
            Assert.Equal(4u, p.S.Connection(h).Receive.Count);
            p.Send(TcpSegment.Rst, tsVal: 1);                          // RST with an old timestamp, exact: resets
            Assert.Equal(NetError.Reset, p.S.Connection(h).Error);
            Assert.Equal(TcpState.Closed, p.S.TcpStateOf(h));
            Assert.Equal(1, p.S.Counters.ResetsIn);
        }
    }
}
