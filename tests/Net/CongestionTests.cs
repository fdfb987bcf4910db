// Congestion control against a scripted ACK sequence, segment by segment: the initial window of
// 10 segments and slow start (RFC 5681, RFC 3465's L=2), limited transmit on the first two
// duplicate ACKs (RFC 3042), fast retransmit on the third with NewReno's recovery (RFC 6582:
// ssthresh half the flight, a partial ACK resending the next hole, a full ACK deflating the
// window), SACK-based loss detection from one ACK (RFC 6675's rule), and a retransmission
// timeout (one segment's window, ssthresh half the flight, the timer doubled).
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class CongestionTests
    {
        private const uint Mss = 1460;

        /// <summary>An open connection (no timestamps: segments of a whole MSS) with 60,000 bytes
        /// queued; the segments of the first flight.</summary>
        private static (Peer p, int h, TcpConnection c, List<Frames.Parsed> flight) Start(bool sack)
        {
            var p = new Peer();
            int h = p.Open(sack: sack);
            Assert.Equal(60_000, p.SendFromS(h, 60_000));
            return (p, h, p.S.Connection(h), p.TakeTcp());
        }

        private static byte[] SackBlock(uint start, uint end)
        {
            var o = new byte[12];
            o[0] = o[1] = 1;
            o[2] = 5;
            o[3] = 10;
            Frames.Put32(o, 4, start);
            Frames.Put32(o, 8, end);
            return o;
        }

        [Fact]
        public void InitialWindowThenSlowStart()
        {
            var (p, _, c, flight) = Start(false);
            Assert.Equal(10, flight.Count);                                  // RFC 6928: 10 segments
            Assert.True(flight.All(f => f.Tcp.Length == Mss));
            p.Ack += 2 * Mss;
            p.Send(TcpSegment.Ack);
            Assert.Equal(12 * Mss, c.Cwnd);                                  // +2 MSS for an ACK of 2
            Assert.Equal(4, p.TakeTcp().Count);                             // 2 for the ACKed, 2 for the growth
            p.Ack += 4 * Mss;
            p.Send(TcpSegment.Ack);
            Assert.Equal(14 * Mss, c.Cwnd);                                  // L = 2: at most 2 MSS per ACK
            Assert.Equal(6, p.TakeTcp().Count);
        }

        [Fact]
        public void LimitedTransmitFastRetransmitAndNewRenoRecovery()
        {
            var (p, _, c, flight) = Start(false);
            uint first = flight[0].Tcp.SeqNo;
            p.Send(TcpSegment.Ack);                                          // duplicate ACKs: the first segment is lost
            var one = p.TakeTcp();
            p.Send(TcpSegment.Ack);
            var two = p.TakeTcp();
            Assert.Equal(first + 10 * Mss, one.Single().Tcp.SeqNo);         // limited transmit: one new segment each
            Assert.Equal(first + 11 * Mss, two.Single().Tcp.SeqNo);
            Assert.Equal(0, p.S.Counters.RetransmitsFast);
            p.Send(TcpSegment.Ack);
            var fast = p.TakeTcp().Single();
            Assert.Equal(first, fast.Tcp.SeqNo);                             // the third: fast retransmit
            Assert.Equal(1, p.S.Counters.RetransmitsFast);
            Assert.True(c.InRecovery);
            Assert.Equal(12 * Mss / 2, c.Ssthresh);                          // half the flight
            Assert.Equal(c.Ssthresh + 3 * Mss, c.Cwnd);
            uint recover = c.Recover;
            Assert.Equal(first + 12 * Mss, recover);
            p.Send(TcpSegment.Ack);                                          // a fourth inflates the window
            Assert.Equal(c.Ssthresh + 4 * Mss, c.Cwnd);
            p.TakeTcp();
            p.Ack = first + 3 * Mss;                                         // a partial ACK: the fourth segment lost too
            p.Send(TcpSegment.Ack);
            var partial = p.TakeTcp();
            Assert.Equal(first + 3 * Mss, partial[0].Tcp.SeqNo);
            Assert.Equal(1, p.S.Counters.RetransmitsPartial);
            Assert.True(c.InRecovery);
            p.Ack = recover;                                                 // the full ACK ends recovery
            p.Send(TcpSegment.Ack);
            Assert.False(c.InRecovery);
            Assert.True(c.Cwnd <= c.Ssthresh, $"deflated: cwnd {c.Cwnd}, ssthresh {c.Ssthresh}");
            Assert.Equal(0, p.S.Counters.RetransmitsTimeout);
        }

        [Fact]
        public void OneAckSackingThreeSegmentsStartsRecovery()
        {
            var (p, _, c, flight) = Start(true);
            Assert.True(c.SackOk);
            uint first = flight[0].Tcp.SeqNo;
            p.Send(TcpSegment.Ack, options: SackBlock(first + Mss, first + 4 * Mss));
            var sent = p.TakeTcp();
            Assert.Equal(first, sent[0].Tcp.SeqNo);                          // no need to wait for two more ACKs
            Assert.Equal(1, p.S.Counters.RetransmitsFast);
            Assert.True(c.InRecovery);
            // The SACKed range grows to segments 1-5: no hole below its top, nothing resent.
            p.Send(TcpSegment.Ack, options: SackBlock(first + Mss, first + 6 * Mss));
            Assert.True(p.TakeTcp().All(f => f.Tcp.Length == 0 || f.Tcp.SeqNo - first >= 10 * Mss), "only new data, if anything");
            Assert.Equal(0, p.S.Counters.RetransmitsSack);
            // A block beyond segment 6: segment 6 is the hole below it, and it goes.
            p.Send(TcpSegment.Ack, options: SackBlock(first + 7 * Mss, first + 9 * Mss));
            var hole = p.TakeTcp();
            Assert.Contains(hole, f => f.Tcp.SeqNo == first + 6 * Mss && f.Tcp.Length == Mss);     // the hole below the new block
            Assert.Equal(1, p.S.Counters.RetransmitsSack);
            Assert.DoesNotContain(hole, f => f.Tcp.SeqNo == first + Mss);    // never what the peer SACKed
        }

        [Fact]
        public void RetransmissionTimeoutCollapsesTheWindow()
        {
            var (p, _, c, flight) = Start(false);
            uint first = flight[0].Tcp.SeqNo;
            long rto = c.Rto;
            var resent = p.Advance(rto + 5).Where(x => x.frame.IsTcp).ToList();
            Assert.Equal(first, resent.Single().frame.Tcp.SeqNo);            // only the first segment again
            Assert.Equal(1, p.S.Counters.RetransmitsTimeout);
            Assert.Equal(Mss, c.Cwnd);
            Assert.Equal(10 * Mss / 2, c.Ssthresh);
            Assert.Equal(2 * rto, c.Rto);                                    // backed off
            p.Ack = first + Mss;
            p.Send(TcpSegment.Ack);
            var next = p.TakeTcp();                                          // slow start again from one segment
            Assert.Equal(new[] { first + Mss, first + 2 * Mss }, next.Select(f => f.Tcp.SeqNo).ToArray());
        }
    }
}
