// RFC 9293's segment arrival rules in the states a well-behaved peer seldom reaches, against a
// scripted peer: a listener answering a stray ACK with a RST and ignoring RSTs and SYN+FIN, its
// backlog; SYN-SENT refusing an unacceptable ACK, ignoring a RST without an ACK and taking one
// with the right ACK as refusal; SYN-RECEIVED resending its SYN-ACK for a repeated SYN and
// freeing its block on a RST; CLOSE-WAIT still sending; TIME-WAIT restarted by a repeated FIN.
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class StateMachineTests
    {
        private static void FromRemote(Peer p, ushort port, uint seq, uint ack, byte flags, byte[] options = null) =>
            p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.TcpProtocol, Frames.Tcp(Peer.RemoteIp, Peer.Ip, p.RemotePort, port, seq, ack, flags, 8192, options)));

        [Fact]
        public void ListenerAnswersStrayAcksAndKeepsItsBacklog()
        {
            var p = new Peer();
            int listener = p.S.TcpListen(80, 2);
            FromRemote(p, 80, 500, 123_456, TcpSegment.Ack);
            var rst = p.TakeTcp().Single();
            Assert.Equal(TcpSegment.Rst, rst.Tcp.Flags);                   // RST, its sequence number the ACK's
            Assert.Equal(123_456u, rst.Tcp.SeqNo);
            FromRemote(p, 80, 500, 0, TcpSegment.Rst);
            FromRemote(p, 80, 500, 0, TcpSegment.Syn | TcpSegment.Fin);
            Assert.Empty(p.Take());
            for (int i = 0; i < 5; i++)
            {
                p.RemotePort = (ushort)(41000 + i);
                FromRemote(p, 80, 1000, 0, TcpSegment.Syn);
            }
            Assert.Equal(2, p.TakeTcp().Count(f => f.Has(TcpSegment.Syn)));   // two SYN-ACKs: the backlog
            Assert.Equal(3, p.S.Counters.SynBacklogDrops);
            Assert.Equal(3, p.S.ConnectionsInUse);                           // the listener and two half-open
            Assert.Equal(NetError.WouldBlock, p.S.TcpAccept(listener));
            FromRemote(p, 81, 1, 0, TcpSegment.Syn);                        // a closed port: RST and ACK
            var refused = p.TakeTcp().Single();
            Assert.Equal(TcpSegment.Rst | TcpSegment.Ack, refused.Tcp.Flags);
            Assert.Equal(2u, refused.Tcp.AckNo);
        }

        [Fact]
        public void SynSentChecksTheAckOfWhatComesBack()
        {
            var p = new Peer { RemotePort = 80, Port = 50000 };
            int h = p.S.TcpConnect(Peer.RemoteIp, 80, 50000);
            uint iss = p.TakeTcp().Single().Tcp.SeqNo;
            FromRemote(p, 50000, 7000, iss + 5, TcpSegment.Syn | TcpSegment.Ack);     // acknowledges what was never sent
            var rst = p.TakeTcp().Single();
            Assert.Equal(TcpSegment.Rst, rst.Tcp.Flags);
            Assert.Equal(iss + 5, rst.Tcp.SeqNo);
            Assert.Equal(TcpState.SynSent, p.S.TcpStateOf(h));
            FromRemote(p, 50000, 7000, 0, TcpSegment.Rst);                 // a RST without an ACK: ignored
            Assert.Equal(TcpState.SynSent, p.S.TcpStateOf(h));
            FromRemote(p, 50000, 7000, iss + 1, TcpSegment.Rst | TcpSegment.Ack);
            Assert.Equal(NetError.Refused, p.ReceiveAtS(h, new byte[4]));
        }

        [Fact]
        public void SynReceivedResendsForARepeatedSynAndFreesOnReset()
        {
            var p = new Peer();
            int listener = p.S.TcpListen(80, 4);
            FromRemote(p, 80, 9000, 0, TcpSegment.Syn, Frames.SynOptions());
            var synAck = p.TakeTcp().Single();
            FromRemote(p, 80, 9000, 0, TcpSegment.Syn, Frames.SynOptions());      // the SYN again: our SYN-ACK was lost
            var again = p.TakeTcp().Single();
            Assert.Equal(synAck.Tcp.SeqNo, again.Tcp.SeqNo);
            Assert.True(again.Has(TcpSegment.Syn) && again.Has(TcpSegment.Ack));
            Assert.Equal(2, p.S.ConnectionsInUse);
            FromRemote(p, 80, 9001, 0, TcpSegment.Rst);                    // exactly at RCV.NXT: gone
            Assert.Equal(1, p.S.ConnectionsInUse);
            FromRemote(p, 80, 9500, 0, TcpSegment.Syn, Frames.SynOptions());      // and the backlog has room again
            Assert.Single(p.TakeTcp());
            FromRemote(p, 80, 9501, again.Tcp.SeqNo + 1000, TcpSegment.Ack);      // an ACK of nothing sent: RST, still half-open
            Assert.True(p.TakeTcp().Single().Has(TcpSegment.Rst));
            Assert.Equal(NetError.WouldBlock, p.S.TcpAccept(listener));
        }

        [Fact]
        public void CloseWaitStillSendsAndTimeWaitRestartsOnARepeatedFin()
        {
            var p = new Peer(c => c.TimeWait = 2_000);
            int h = p.Open();
            p.Send(TcpSegment.Ack | TcpSegment.Fin);
            Assert.Equal(p.Seq + 1, p.TakeTcp().Single().Tcp.AckNo);
            p.Seq++;
            Assert.Equal(TcpState.CloseWait, p.S.TcpStateOf(h));
            Assert.Equal(0, p.ReceiveAtS(h, new byte[4]));                  // end of stream
            Assert.Equal(100, p.SendFromS(h, 100));                         // the other direction still open
            var data = p.TakeTcp().Single();
            Assert.Equal(100u, data.Tcp.Length);
            p.Ack += 100;
            p.Send(TcpSegment.Ack);
            p.S.TcpClose(h);
            var fin = p.TakeTcp().Single();
            Assert.True(fin.Has(TcpSegment.Fin));
            p.Ack++;
            p.Send(TcpSegment.Ack);
            Assert.Equal(1, p.S.ConnectionsInUse);                          // LAST-ACK done: only the listener is left

            // TIME-WAIT, after closing first.
            p.RemotePort++;
            p.Port = 81;
            int h2 = p.Open();
            TcpConnection c = p.S.Connection(h2);
            p.S.TcpShutdown(h2);
            Assert.True(p.TakeTcp().Single().Has(TcpSegment.Fin));
            p.Ack++;
            p.Send(TcpSegment.Ack | TcpSegment.Fin);
            p.Seq++;
            Assert.Equal(TcpState.TimeWait, c.State);
            p.Take();
            p.Advance(1_500);
            p.Send(TcpSegment.Ack | TcpSegment.Fin, seq: p.Seq - 1);       // our ACK was lost: the FIN again
            Assert.Equal(p.Seq, p.TakeTcp().Single().Tcp.AckNo);
            p.Advance(1_500);
            Assert.Equal(TcpState.TimeWait, c.State);                       // restarted: 2 s from the repeated FIN
            p.Advance(600);
            Assert.Equal(TcpState.Closed, c.State);
        }
    }
}
