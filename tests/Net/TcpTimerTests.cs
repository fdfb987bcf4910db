// TCP's timed behaviour against a scripted peer, with the time of every frame: zero-window
// probes (first after one RTO, then doubling up to RtoMax, never giving up while answered,
// data flowing once the window opens; given up after MaxRetries unanswered), keep-alive (idle time, interval, count, then an abort
// with a RST), Nagle's rule on and off, delayed ACKs (40 ms for one segment, at once for the
// second or for out-of-order data), and a peer that never ACKs (backoff, then time-out).
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class TcpTimerTests
    {
        private static bool IsProbe(Frames.Parsed f, uint sndUna) =>
            f.IsTcp && f.Tcp.Flags == TcpSegment.Ack && f.Tcp.Length == 0 && f.Tcp.SeqNo == sndUna - 1;

        [Fact]
        public void ZeroWindowProbesBackOffAndNeverGiveUp()
        {
            var p = new Peer();
            int h = p.Open();
            Assert.Equal(2920, p.SendFromS(h, 2920));
            var data = p.TakeTcp();                                     // 2 full segments (window 65535, initial cwnd 10)
            Assert.Equal(2920u, (uint)data.Sum(f => (int)f.Tcp.Length));
            p.Ack += 1460;
            p.Send(TcpSegment.Ack, window: 0);                         // takes one segment, then a zero window
            long rto = p.S.Connection(h).Rto;
            // The rest acknowledged too, the window still 0: nothing in flight, so probes.
            p.Ack += 1460;
            p.Send(TcpSegment.Ack, window: 0);
            Assert.Equal(2000, p.SendFromS(h, 2000));                   // more data waits for the window
            Assert.Empty(p.TakeTcp());
            var times = new List<long>();
            long start = p.Now;
            for (int round = 0; round < 40 && p.Now - start < 600_000; round++)
            {
                var got = p.Advance(70_000).Where(x => x.frame.IsTcp).ToList();
                foreach (var (at, f) in got)
                {
                    Assert.True(IsProbe(f, p.Ack), "only probes while the window is 0: " + f);
                    times.Add(at);
                    p.Send(TcpSegment.Ack, window: 0);                 // answered, still closed
                }
            }
            Assert.True(times.Count >= 10, "probes: " + times.Count);
            Assert.Equal(start + rto, times[0]);
            for (int i = 1; i < times.Count; i++)
            {
                long gap = times[i] - times[i - 1], expected = Math.Min(rto << i, p.S.Config.RtoMax);
                Assert.True(gap == expected, $"gap {i}: {gap} ms, expected {expected}");
            }
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
            Assert.Equal(times.Count, p.S.Counters.WindowProbes);
            p.Send(TcpSegment.Ack, window: 65535);                     // opens: the data goes at once
            var flow = p.TakeTcp().Single();                          // a full segment (Nagle holds the small rest)
            Assert.Equal(1460u, flow.Tcp.Length);
            Assert.Equal(p.Ack, flow.Tcp.SeqNo);
            p.Ack += 1460;
            p.Send(TcpSegment.Ack, window: 65535);
            Assert.Equal(540u, p.TakeTcp().Single().Tcp.Length);
        }

        [Fact]
        public void UnansweredZeroWindowProbesAreGivenUp()
        {
            var p = new Peer(c => { c.MaxRetries = 4; c.RtoMax = 5_000; });
            int h = p.Open();
            p.SendFromS(h, 1460);
            p.TakeTcp();
            p.Ack += 1460;
            p.Send(TcpSegment.Ack, window: 0);                         // then silence
            p.SendFromS(h, 100);
            var sent = p.Advance(120_000).Where(x => x.frame.IsTcp).ToList();
            Assert.Equal(4, sent.Count(x => IsProbe(x.frame, p.Ack)));
            Assert.True(sent.Last().frame.Has(TcpSegment.Rst), "the abort's RST: " + sent.Last().frame);
            Assert.Equal(NetError.TimedOut, p.ReceiveAtS(h, new byte[4]));
            Assert.Equal(1, p.S.Counters.TimedOut);
        }

        [Fact]
        public void KeepAliveProbesIdleConnectionsThenAborts()
        {
            var p = new Peer(c => { c.KeepIdle = 10_000; c.KeepInterval = 1_000; c.KeepCount = 3; });
            int h = p.Open();
            p.S.TcpKeepAlive(h, true);
            long start = p.Now;
            var first = p.Advance(10_500).Where(x => x.frame.IsTcp).ToList();
            Assert.Single(first);
            Assert.True(IsProbe(first[0].frame, p.Ack), "keep-alive: " + first[0].frame);
            Assert.Equal(start + 10_000, first[0].at);
            p.Send(TcpSegment.Ack);                                    // answered: idle again from now
            long answered = p.Now;
            var later = p.Advance(14_000).Where(x => x.frame.IsTcp).ToList();
            // Unanswered now: at idle, then every interval, KeepCount probes, then a RST and the end.
            Assert.Equal(new long[] { answered + 10_000, answered + 11_000, answered + 12_000, answered + 13_000 }, later.Select(x => x.at).ToArray());
            Assert.True(later.Take(3).All(x => IsProbe(x.frame, p.Ack)));
            Assert.True(later[3].frame.Has(TcpSegment.Rst), "the abort's RST: " + later[3].frame);
            Assert.Equal(NetError.TimedOut, p.ReceiveAtS(h, new byte[4]));
            Assert.Equal(4, p.S.Counters.KeepAlives);
        }

        [Fact]
        public void KeepAliveOffSendsNothing()
        {
            var p = new Peer(c => { c.KeepIdle = 1_000; c.KeepInterval = 100; c.KeepCount = 2; });
            int h = p.Open();
            Assert.Empty(p.Advance(5_000));
            Assert.Equal(TcpState.Established, p.S.TcpStateOf(h));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void NagleHoldsSmallSegmentsWhileDataIsUnacknowledged(bool noDelay)
        {
            var p = new Peer();
            int h = p.Open();
            p.S.TcpNoDelay(h, noDelay);
            p.SendFromS(h, 10);
            Assert.Equal(10u, p.TakeTcp().Single().Tcp.Length);          // nothing in flight: goes at once
            p.SendFromS(h, 10);
            p.SendFromS(h, 10);
            var second = p.TakeTcp();
            if (noDelay) Assert.Equal(new uint[] { 10, 10 }, second.Select(f => f.Tcp.Length).ToArray());
            else Assert.Empty(second);                                   // held: a small segment is in flight
            if (noDelay) return;
            p.Ack += 10;
            p.Send(TcpSegment.Ack);
            Assert.Equal(20u, p.TakeTcp().Single().Tcp.Length);          // the ACK releases both, coalesced
            p.SendFromS(h, 3000);                                        // full segments go regardless
            Assert.Equal(2, p.TakeTcp().Count(f => f.Tcp.Length == 1460 - 0));
        }

        [Fact]
        public void DelayedAckAfterOneSegmentImmediateAfterTwoOrOutOfOrder()
        {
            var p = new Peer();
            int h = p.Open(sack: true);
            long start = p.Now;
            p.Send(TcpSegment.Ack | TcpSegment.Psh, new byte[100]);
            Assert.Empty(p.TakeTcp());
            var acks = p.Advance(100).Where(x => x.frame.IsTcp).ToList();
            Assert.Single(acks);
            Assert.Equal(start + p.S.Config.DelayedAck, acks[0].at);
            Assert.Equal(p.Seq, acks[0].frame.Tcp.AckNo);
            p.Send(TcpSegment.Ack, new byte[100]);
            p.Send(TcpSegment.Ack, new byte[100]);
            var second = p.TakeTcp().Single();                          // every second segment: at once
            Assert.Equal(p.Seq, second.Tcp.AckNo);
            p.Send(TcpSegment.Ack, new byte[100], seq: p.Seq + 500);     // a hole: at once, with a SACK block
            var dup = p.TakeTcp().Single();
            Assert.Equal(p.Seq, dup.Tcp.AckNo);
            Assert.Equal(1, dup.Tcp.SackBlocks);
            unsafe { Assert.Equal(p.Seq + 500, dup.Tcp.SackStart[0]); }
            Assert.Equal(300u, p.S.Connection(h).Receive.Count);
        }

        [Fact]
        public void APeerThatNeverAcksIsRetriedWithBackoffThenDropped()
        {
            var p = new Peer(c => { c.MaxRetries = 5; c.RtoMax = 10_000; });
            int h = p.Open();
            p.SendFromS(h, 1000);
            long start = p.Now;
            Assert.Single(p.TakeTcp());
            var sent = p.Advance(60_000).Where(x => x.frame.IsTcp).ToList();
            long rto = p.S.Config.RtoInitial;                            // no RTT sample yet: RFC 6298's 1 s
            var expected = new List<long>();
            long at = start;
            for (int i = 0; i < 5; i++) { at += Math.Min(rto << i, 10_000); expected.Add(at); }
            Assert.Equal(expected, sent.Take(5).Select(x => x.at).ToList());
            Assert.True(sent.Take(5).All(x => x.frame.Tcp.SeqNo == p.Ack && x.frame.Tcp.Length == 1000), "retransmissions of the same data");
            Assert.True(sent[5].frame.Has(TcpSegment.Rst), "then a RST: " + sent[5].frame);
            Assert.Equal(NetError.TimedOut, p.ReceiveAtS(h, new byte[4]));
            Assert.Equal(1, p.S.Counters.TimedOut);
        }
    }
}
