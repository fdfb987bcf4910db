// Recorded traces replayed against the stack (Trace: real captures from Debian packages). The
// stack plays one side of a real HTTP conversation and the capture the other, its segments sent
// as recorded (sequence numbers, windows, options, data) with only the acknowledgment numbers
// and echoed timestamps moved to the stack's own: a Linux client with timestamps, window
// scaling and SACK (gopacket's test_ethernet.pcap) against the stack as server, and the stack
// as a client of a real server sending 18 KiB in 1,380-byte segments (dpkt's http.pcap).
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class TraceTests
    {
        /// <summary>Options with the timestamp's echo (TSecr) replaced.</summary>
        private static byte[] EchoTimestamp(byte[] options, uint tsEcr)
        {
            var o = (byte[])options.Clone();
            for (int i = 0; i < o.Length;)
            {
                if (o[i] == 0) break;
                if (o[i] == 1) { i++; continue; }
                if (o[i] == 8 && o[i + 1] == 10) Frames.Put32(o, i + 6, tsEcr);
                i += Math.Max(2, (int)o[i + 1]);
            }
            return o;
        }

        private sealed class Sent
        {
            public uint Iss, LastAck, LastTsVal;
            public bool SawSyn, SawRst;
            public readonly SortedDictionary<uint, byte> Data = new SortedDictionary<uint, byte>();

            public void Take(IEnumerable<Frames.Parsed> frames)
            {
                foreach (var f in frames.Where(f => f.IsTcp))
                {
                    if (f.Has(TcpSegment.Syn)) { Iss = f.Tcp.SeqNo; SawSyn = true; }
                    if (f.Has(TcpSegment.Rst)) SawRst = true;
                    if (f.Has(TcpSegment.Ack)) LastAck = f.Tcp.AckNo;
                    if (f.Tcp.HasTimestamp) LastTsVal = f.Tcp.TsVal;
                    for (int i = 0; i < f.TcpData.Length; i++) Data[f.Tcp.SeqNo + (uint)i - Iss - 1] = f.TcpData[i];
                }
            }
        }

        private static void NoTrouble(NetCounters k)
        {
            Assert.Equal(0, k.ChallengeAcks);
            Assert.Equal(0, k.OutOfWindow);
            Assert.Equal(0, k.PawsDrops);
            Assert.Equal(0, k.TcpBad + k.TcpBadChecksum);
            Assert.Equal(0, k.ResetsOut + k.ResetsIn);
        }

        [Fact]
        public void ServesARecordedLinuxClient()
        {
            var trace = Trace.Read(Trace.Capture("test_ethernet.pcap"), 44644, 80);
            Assert.Equal(10, trace.Segments.Count);
            var p = new Peer { Port = 80, RemotePort = 44644 };
            int listener = p.S.TcpListen(80, 4), h = -1;
            uint serverIsn = trace.Segments.First(s => !s.FromClient).Seq;
            var sent = new Sent();
            foreach (var s in trace.Segments)
            {
                if (s.FromClient)
                {
                    uint ack = (s.Flags & TcpSegment.Ack) != 0 ? s.Ack - serverIsn + sent.Iss : 0;
                    p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.TcpProtocol,
                        Frames.Tcp(Peer.RemoteIp, Peer.Ip, 44644, 80, s.Seq, ack, s.Flags, s.Window, EchoTimestamp(s.Options, sent.LastTsVal), s.Data)));
                    if (h < 0) h = p.S.TcpAccept(listener);
                }
                else if ((s.Flags & TcpSegment.Syn) == 0)
                {
                    Assert.True(h >= 0, "accepted before the server's first data");
                    if (s.Data.Length > 0) Assert.Equal(s.Data.Length, Rig.Send(p.S, h, s.Data, 0, s.Data.Length));
                    if ((s.Flags & TcpSegment.Fin) != 0) p.S.TcpShutdown(h);
                }
                sent.Take(p.Take());
                sent.Take(p.Advance(1).Select(x => x.frame));
            }
            sent.Take(p.Advance(100).Select(x => x.frame));
            TcpConnection c = p.S.Connection(h);
            Assert.True(c.TsOk && c.SackOk, "timestamps and SACK agreed with the recorded client");
            Assert.Equal(7, c.SndShift);                                 // the client's window scale
            var request = new byte[4096];
            int n = Rig.Receive(p.S, h, request);
            Assert.Equal(trace.Stream(true), request.AsSpan(0, n).ToArray());
            Assert.Equal(trace.Stream(false), sent.Data.Values.ToArray());   // the same response, in the recorded numbers' places
            Assert.Equal(trace.Segments.Last(s => !s.FromClient).Ack, sent.LastAck);     // the recorded server's last ACK, exactly
            Assert.Equal(TcpState.TimeWait, c.State);                    // the server closed first, as recorded
            Assert.False(sent.SawRst);
            NoTrouble(p.S.Counters);
        }

        [Fact]
        public void FetchesFromARecordedServer()
        {
            var trace = Trace.Read(Trace.Capture("http.pcap"), 3372, 80);
            var p = new Peer { Port = 3372, RemotePort = 80 };
            var sent = new Sent();
            int h = p.S.TcpConnect(Peer.RemoteIp, 80, 3372);
            sent.Take(p.Take());
            Assert.True(sent.SawSyn);
            uint clientIsn = trace.Segments.First(s => s.FromClient).Seq;
            foreach (var s in trace.Segments.Where(s => (s.Flags & TcpSegment.Syn) == 0 || !s.FromClient))
            {
                if (s.FromClient)
                {
                    if (s.Data.Length > 0) Assert.Equal(s.Data.Length, Rig.Send(p.S, h, s.Data, 0, s.Data.Length));
                    if ((s.Flags & TcpSegment.Fin) != 0) p.S.TcpShutdown(h);
                }
                else
                {
                    uint ack = s.Ack - clientIsn + sent.Iss;
                    p.InjectIp(Frames.Ip(Peer.RemoteIp, Peer.Ip, NetStack.TcpProtocol,
                        Frames.Tcp(Peer.RemoteIp, Peer.Ip, 80, 3372, s.Seq, ack, s.Flags, s.Window, s.Options, s.Data)));
                }
                sent.Take(p.Take());
                sent.Take(p.Advance(1).Select(x => x.frame));
            }
            sent.Take(p.Advance(100).Select(x => x.frame));
            TcpConnection c = p.S.Connection(h);
            Assert.False(c.TsOk || c.SndShift != 0, "the recorded server offered neither timestamps nor window scaling");
            Assert.True(c.SackOk);
            Assert.Equal(1380, c.Mss);
            var response = new byte[65536];
            int n = Rig.Receive(p.S, h, response);
            byte[] expected = trace.Stream(false);
            Assert.True(expected.Length > 18_000, "response bytes " + expected.Length);
            Assert.Equal(expected, response.AsSpan(0, n).ToArray());
            Assert.Equal(trace.Stream(true), sent.Data.Values.ToArray());
            Assert.Equal(trace.Segments.Last(s => s.FromClient).Ack, sent.LastAck);      // the recorded client's last ACK, exactly
            Assert.Equal(TcpState.Closed, c.State);                      // the server's FIN, then ours and its ACK: done, as recorded
            NoTrouble(p.S.Counters);
        }
    }
}
