// One stack (S, at 10.0.0.1) and a scripted remote end (10.0.0.2) that writes frames by hand
// (Frames) and reads what S sent: for tests that need segments no well-behaved stack sends
// (in-window RSTs, old timestamps, zero windows for ever, garbage) or exact timing (probes,
// delayed ACKs). Time is the test's: Advance ticks S once a millisecond.
using System.Runtime.InteropServices;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public sealed unsafe class Peer
    {
        public const uint Ip = Rig.IpA, RemoteIp = Rig.IpB;
        public const ulong Mac = Rig.MacA, RemoteMac = Rig.MacB;

        public readonly NetStack S;
        public readonly MemoryLink Link = new MemoryLink();
        public long Now = 1_000_000;

        // The remote end of the connection Open made: its next sequence number, what it acknowledges.
        public uint Seq, Ack;
        public ushort Port = 80, RemotePort = 40000;
        public bool Timestamps;
        public uint TsVal = 5000;

        public Peer(Action<NetConfig> configure = null, bool learnRemote = true)
        {
            var c = new NetConfig { Mac = Mac, Address = Ip, Netmask = 0xFFFF_FF00, Key0 = 11, Key1 = 77, TcpConnections = 16, RtoMin = 200 };
            configure?.Invoke(c);
            ulong size = NetStack.MemoryNeeded(c);
            S = new NetStack(c, Link, (byte*)NativeMemory.AllocZeroed((nuint)size), size, Now);
            if (learnRemote)
            {
                Inject(Frames.Ethernet(Mac, RemoteMac, NetStack.TypeArp, Frames.Arp(1, RemoteMac, RemoteIp, 0, Ip)));
                Take();
            }
        }

        public void Inject(byte[] frame)
        {
            fixed (byte* f = frame) S.Input(f, (uint)frame.Length, Now);
        }

        public void InjectIp(byte[] packet) => Inject(Frames.Ethernet(Mac, RemoteMac, NetStack.TypeIpv4, packet));

        /// <summary>Answers S's ARP requests for the remote end (as a live host does).</summary>
        public bool AnswerArp = true;
        public int ArpRequestsSeen;

        /// <summary>Frames S sent since the last call, parsed (ARP requests for the remote end
        /// are answered and counted, when AnswerArp, and left in the list).</summary>
        public List<Frames.Parsed> Take()
        {
            var sent = Link.Sent.ToList();
            Link.Sent.Clear();
            foreach (byte[] f in sent)
            {
                if (Frames.Get16(f, 12) != NetStack.TypeArp || Frames.Get16(f, 20) != 1 || Frames.Get32(f, 38) != RemoteIp) continue;
                ArpRequestsSeen++;
                if (AnswerArp) Inject(Frames.Ethernet(Mac, RemoteMac, NetStack.TypeArp, Frames.Arp(2, RemoteMac, RemoteIp, Mac, Ip)));
            }
            var list = sent.Select(Frames.Parse).ToList();
            list.AddRange(Link.Sent.Select(Frames.Parse));      // what the answers released (held frames)
            Link.Sent.Clear();
            return list;
        }

        public List<Frames.Parsed> TakeTcp() => Take().Where(p => p.IsTcp).ToList();

        /// <summary>Milliseconds pass, S ticked at each; the frames it sent meanwhile, each with when.</summary>
        public List<(long at, Frames.Parsed frame)> Advance(long milliseconds)
        {
            var got = new List<(long, Frames.Parsed)>();
            for (long end = Now + milliseconds; Now < end;)
            {
                Now++;
                S.Tick(Now);
                foreach (var p in Take()) got.Add((Now, p));
            }
            return got;
        }

        /// <summary>A segment from the remote end of the open connection (seq and ack from the
        /// fields unless given; timestamps when negotiated).</summary>
        public void Send(byte flags, byte[] data = null, uint? seq = null, uint? ack = null, ushort window = 65535, uint? tsVal = null, byte[] options = null)
        {
            if (options == null && Timestamps) options = Frames.Timestamps(tsVal ?? TsVal, 0);
            InjectIp(Frames.Ip(RemoteIp, Ip, NetStack.TcpProtocol,
                               Frames.Tcp(RemoteIp, Ip, RemotePort, Port, seq ?? Seq, ack ?? Ack, flags, window, options, data)));
            if (seq == null && data != null) Seq += (uint)data.Length;
        }

        /// <summary>S listens on Port; the remote end connects (SYN with the given options), S
        /// answers, the remote end ACKs; S's accepted handle.</summary>
        public int Open(bool timestamps = false, bool sack = false, int shift = -1, ushort window = 65535, int backlog = 8)
        {
            int listener = S.TcpListen(Port, backlog);
            Assert.True(listener >= 0, "listen " + listener);
            Timestamps = timestamps;
            Seq = 1_000_000;
            InjectIp(Frames.Ip(RemoteIp, Ip, NetStack.TcpProtocol,
                               Frames.Tcp(RemoteIp, Ip, RemotePort, Port, Seq, 0, TcpSegment.Syn, window,
                                          Frames.SynOptions(1460, shift, sack, TsVal, 0, timestamps))));
            var synAck = TakeTcp().Single();
            Assert.True(synAck.Has(TcpSegment.Syn) && synAck.Has(TcpSegment.Ack), "SYN-ACK: " + synAck);
            Assert.Equal(Seq + 1, synAck.Tcp.AckNo);
            Seq++;
            Ack = synAck.Tcp.SeqNo + 1;
            Send(TcpSegment.Ack, window: window);
            int h = S.TcpAccept(listener);
            Assert.True(h >= 0, "accept " + h);
            Assert.Equal(TcpState.Established, S.TcpStateOf(h));
            Take();
            return h;
        }

        public int SendFromS(int h, int count, byte fill = 0x5A)
        {
            var data = Enumerable.Repeat(fill, count).ToArray();
            fixed (byte* d = data) return S.TcpSend(h, d, (uint)count);
        }

        public int ReceiveAtS(int h, byte[] into)
        {
            fixed (byte* d = into) return S.TcpReceive(h, d, (uint)into.Length);
        }
    }
}
