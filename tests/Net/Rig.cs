// Two stacks (A at 10.0.0.1, B at 10.0.0.2) on one simulated Ethernet with a seeded
// impairment model: per frame, chances to drop, duplicate, corrupt one byte, or delay (which
// reorders); one millisecond of simulated time per step, both stacks ticked every step.
using System.Runtime.InteropServices;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public sealed unsafe class Rig
    {
        public const uint IpA = 0x0A00_0001, IpB = 0x0A00_0002;
        public const ulong MacA = 0x0000_0101_0002, MacB = 0x0000_0201_0002;

        public readonly NetStack A, B;
        public readonly MemoryLink LinkA = new MemoryLink(), LinkB = new MemoryLink();
        public long Now = 1_000_000;
        public double Drop, Duplicate, Corrupt, Reorder;
        public int Latency = 1;
        public Func<bool, byte[], bool> Filter;        // (from A?, frame) -> deliver?
        public bool Batch;                              // the frames due in a step reach a stack as one batch
        public long FramesAtoB, FramesBtoA;
        private readonly Random _random;
        private readonly List<(long at, bool toB, byte[] frame)> _inFlight = new List<(long, bool, byte[])>();

        public Rig(int seed = 1, Action<NetConfig> configure = null)
        {
            _random = new Random(seed);
            A = Make(MacA, IpA, 11, LinkA, configure);
            B = Make(MacB, IpB, 22, LinkB, configure);
        }

        private NetStack Make(ulong mac, uint ip, ulong key, MemoryLink link, Action<NetConfig> configure)
        {
            var c = new NetConfig { Mac = mac, Address = ip, Netmask = 0xFFFF_FF00, Key0 = key, Key1 = key * 7, TcpConnections = 64, RtoMin = 200 };
            configure?.Invoke(c);
            ulong size = NetStack.MemoryNeeded(c);
            return new NetStack(c, link, (byte*)NativeMemory.AllocZeroed((nuint)size), size, Now);
        }

        public void Inject(NetStack to, byte[] frame)
        {
            fixed (byte* f = frame) to.Input(f, (uint)frame.Length, Now);
        }

        /// <summary>One millisecond: frames sent so far go on the wire, due frames arrive, timers run.</summary>
        public void Step()
        {
            Take(LinkA, true);
            Take(LinkB, false);
            Now++;
            if (Batch) { A.BeginBatch(); B.BeginBatch(); }
            for (int i = 0; i < _inFlight.Count; i++)
            {
                var (at, toB, frame) = _inFlight[i];
                if (at > Now) continue;
                _inFlight.RemoveAt(i--);
                Inject(toB ? B : A, frame);
            }
            if (Batch) { A.EndBatch(); B.EndBatch(); }
            A.Tick(Now);
            B.Tick(Now);
        }

        private void Take(MemoryLink link, bool fromA)
        {
            foreach (byte[] frame in link.Sent)
            {
                if (fromA) FramesAtoB++; else FramesBtoA++;
                if (Filter != null && !Filter(fromA, frame)) continue;
                if (_random.NextDouble() < Drop) continue;
                int copies = _random.NextDouble() < Duplicate ? 2 : 1;
                for (int k = 0; k < copies; k++)
                {
                    byte[] f = frame;
                    if (_random.NextDouble() < Corrupt)
                    {
                        f = (byte[])frame.Clone();
                        f[14 + _random.Next(f.Length - 14)] ^= (byte)(1 << _random.Next(8));
                    }
                    long at = Now + Latency + (_random.NextDouble() < Reorder ? _random.Next(1, 8) : 0);
                    _inFlight.Add((at, fromA, f));
                }
            }
            link.Sent.Clear();
        }

        /// <summary>Steps until done() or limit milliseconds pass; whether done.</summary>
        public bool RunUntil(Func<bool> done, long limit = 60_000)
        {
            long end = Now + limit;
            while (Now < end)
            {
                if (done()) return true;
                Step();
            }
            return done();
        }

        public void Run(long milliseconds)
        {
            long end = Now + milliseconds;
            while (Now < end) Step();
        }

        /// <summary>A listening on port, B connected to it; the two handles once established.</summary>
        public (int a, int b) Connect(ushort port = 80)
        {
            int listener = A.TcpListen(port, 8);
            Assert.True(listener >= 0, "listen: " + listener);
            int b = B.TcpConnect(IpA, port);
            Assert.True(b >= 0, "connect: " + b);
            int a = -1;
            Assert.True(RunUntil(() => (a = A.TcpAccept(listener)) >= 0 && (B.Readiness(b) & NetStack.Connected) != 0, 20_000), "no connection");
            return (a, b);
        }

        public static int Send(NetStack s, int h, byte[] data, int from, int count)
        {
            fixed (byte* d = data) return s.TcpSend(h, d + from, (uint)count);
        }

        public static int Receive(NetStack s, int h, byte[] buffer)
        {
            fixed (byte* d = buffer) return s.TcpReceive(h, d, (uint)buffer.Length);
        }
    }
}
