// ExOS's end of the guest-to-guest wire as a client of a Linux peer (tools/wire.sh runs
// src/Bench/Linux/wirepeer.c there): Exchange sends a pattern to the peer's sink and closes
// first, then reads the peer's source and checks every byte; the "wire" program is make
// bench's ExoSharp near end of tcp_rr and tcp_crr ("wire rr|crr ADDRESS PORT N [spin]",
// address 10.0.2.15 on the wire). Busy time is the wall time minus idle time: by default the
// time blocked in the ring's wakeup wait (NetInterface.BlockedTsc, which also holds the
// kernel's work to wake the program); with spin, the program never halts and idle is its idle
// loop's turns times their cost measured at start (interrupts and the kernel's delivery count
// as busy, as Linux's /proc/stat counts them).
using ExoSharp.LibOS.Net;
using ExoSharp.LibOS.Net.Ring;

namespace ExoSharp.Apps.Net
{
    internal static unsafe class WireClient
    {
        public const ushort SinkPort = 5001, SourcePort = 5002;
        private const uint Chunk = 16384;

        public static int Main(string arguments)
        {
            string mode = Word(arguments, 0);
            bool rr = mode == "rr", crr = mode == "crr";
            string address = Word(arguments, 1);
            int at = 0;
            uint peer = (rr || crr) ? ParseIpv4(address, ref at) : 0;
            if (at != address.Length) peer = 0;
            ulong port = Arguments.Number(Word(arguments, 2), 65535), n = Arguments.Number(Word(arguments, 3), 10_000_000);
            if (peer == 0 || port == 0 || n == 0)
            {
                System.Console.WriteLine("wire: usage: wire rr|crr ADDRESS PORT N");
                return 2;
            }
            var config = new NetConfig { Address = 0x0A00_020F, Gateway = 0, TcpConnections = 64, TcpSendBuffer = 16384, TcpReceiveBuffer = 16384 };
            NetInterface nif = NetInterface.Open(config, out string problem);
            if (nif == null)
            {
                System.Console.WriteLine("wire: " + problem);
                return 1;
            }
            var sockets = new Sockets(nif);
            NetStack stack = nif.Stack;
            bool spin = Word(arguments, 4) == "spin";
            ulong spinCost = 0;
            if (spin)
            {
                spinCost = nif.SpinCostMilli(200);
                nif.SpinWhenIdle = true;
            }
            byte* b = stackalloc byte[1];
            int h = -1;
            if (rr)
            {
                h = sockets.Connect(peer, (ushort)port, 30_000);
                if (h < 0) return Fail("connect", h);
                stack.TcpNoDelay(h, true);
                if (RoundTrip(sockets, h, b) < 0) return Fail("first round trip", NetError.TimedOut);
            }
            ulong blocked0 = nif.BlockedTsc, blocks0 = nif.Blocks, spins0 = nif.Spins, t0 = NetClock.Tsc();
            for (ulong i = 0; i < n; i++)
            {
                if (crr)
                {
                    h = sockets.Connect(peer, (ushort)port, 30_000);
                    if (h < 0) return Fail("connect " + i.ToString(), h);
                    stack.TcpNoDelay(h, true);
                }
                int r = RoundTrip(sockets, h, b);
                if (r < 0) return Fail("round trip " + i.ToString(), r);
                if (crr) stack.TcpClose(h);
            }
            ulong wall = NetClock.Tsc() - t0, perMs = NetClock.TicksPerMs;
            ulong blocked = spin ? (nif.Spins - spins0) * spinCost / 1000 : nif.BlockedTsc - blocked0;
            if (blocked > wall) blocked = wall;
            if (rr) stack.TcpClose(h);
            // Let the last close finish its handshake before the program (and its stack) ends.
            long until = NetClock.Now + 5000;
            while (NetClock.Now < until && stack.ConnectionsActive > 0) nif.Wait(1);
            System.Console.WriteLine("BENCH tcp_" + (rr ? "rr" : "crr") + " ns=" + (wall * 1_000_000 / perMs / n).ToString() +
                                     " busy=" + ((wall - blocked) * 1_000_000 / perMs / n).ToString() + " n=" + n.ToString() +
                                     " idle_ms=" + (blocked / perMs).ToString() + " blocks=" + (nif.Blocks - blocks0).ToString() +
                                     " spins=" + (nif.Spins - spins0).ToString() + " spin_cost_milli=" + spinCost.ToString() +
                                     " retransmits=" + (stack.Counters.RetransmitsTimeout + stack.Counters.RetransmitsFast).ToString());
            return 0;
        }

        private static int RoundTrip(Sockets sockets, int h, byte* b)
        {
            b[0] = (byte)'x';
            int r = sockets.Send(h, b, 1, 10_000);
            if (r < 0) return r;
            r = sockets.Receive(h, b, 1, 10_000);
            return r == 1 ? 0 : r < 0 ? r : NetError.Reset;
        }

        private static int Fail(string what, int error)
        {
            System.Console.WriteLine("wire: " + what + " failed: error " + error.ToString());
            return 1;
        }

        /// <summary>Sends bytes of pattern seed to peer's sink port and closes first, then reads
        /// the peer's source until it closes, checking every byte against pattern seed + 1.
        /// 0 when both held; messages start with prefix.</summary>
        public static int Exchange(NetInterface nif, uint peer, uint bytes, ulong seed, string prefix)
        {
            var sockets = new Sockets(nif);
            NetStack stack = nif.Stack;
            byte[] bufferArray = new byte[Chunk];
            fixed (byte* buffer = bufferArray)
            {
                int h = sockets.Connect(peer, SinkPort, 60_000);
                if (h < 0) return Say(prefix, "connect to " + Wire.FormatIpv4(peer) + ":" + ((int)SinkPort).ToString() + " failed: error " + h.ToString());
                var pattern = new WirePattern(seed);
                uint sent = 0;
                while (sent < bytes)
                {
                    uint n = bytes - sent < Chunk ? bytes - sent : Chunk;
                    pattern.Fill(buffer, n);
                    int r = sockets.Send(h, buffer, n, 60_000);
                    if (r != (int)n) return Say(prefix, "send to the sink failed after " + sent.ToString() + " bytes: " + r.ToString());
                    sent += n;
                }
                stack.TcpClose(h);
                System.Console.WriteLine(prefix + "sent " + sent.ToString() + " bytes of pattern " + seed.ToString() + " to " +
                                         Wire.FormatIpv4(peer) + ":" + ((int)SinkPort).ToString() + " and closed first");

                h = sockets.Connect(peer, SourcePort, 60_000);
                if (h < 0) return Say(prefix, "connect to " + Wire.FormatIpv4(peer) + ":" + ((int)SourcePort).ToString() + " failed: error " + h.ToString());
                pattern = new WirePattern(seed + 1);
                long firstBad = -1;
                while (true)
                {
                    int r = sockets.Receive(h, buffer, Chunk, 60_000);
                    if (r == 0) break;
                    if (r < 0) return Say(prefix, "receive from the source failed after " + pattern.Position.ToString() + " bytes: " + r.ToString());
                    long bad = pattern.Check(buffer, (uint)r);
                    if (bad >= 0 && firstBad < 0) firstBad = bad;
                }
                bool ended = (stack.Readiness(h) & NetStack.Failed) == 0;
                stack.TcpClose(h);
                ulong got = pattern.Position;
                System.Console.WriteLine(prefix + "received " + got.ToString() + " bytes from " + Wire.FormatIpv4(peer) + ":" + ((int)SourcePort).ToString() +
                                         (firstBad < 0 ? ", every byte matches pattern " + (seed + 1).ToString() : ", MISMATCH at byte " + firstBad.ToString()) +
                                         (ended ? ", the peer closed first" : ", the connection failed"));
                // Both close handshakes finish before the stack goes away (under loss a FIN may
                // need retransmitting; the peer waits for ours).
                long until = NetClock.Now + 60_000;
                while (NetClock.Now < until && stack.ConnectionsActive > 0) nif.Wait(1);
                return firstBad < 0 && ended && got == bytes ? 0 : 1;
            }
        }

        private static int Say(string prefix, string text)
        {
            System.Console.WriteLine(prefix + text);
            return 1;
        }

        /// <summary>The index-th word of text (words are separated by spaces); "" when there is none.</summary>
        public static string Word(string text, int index)
        {
            int i = 0;
            for (int w = 0; ; w++)
            {
                while (i < text.Length && text[i] == ' ') i++;
                int start = i;
                while (i < text.Length && text[i] != ' ') i++;
                if (start == i) return "";
                if (w == index) return text.Substring(start, i - start);
            }
        }

        /// <summary>A dotted IPv4 address at text[at] (at moves past it); 0 when there is none.</summary>
        public static uint ParseIpv4(string text, ref int at)
        {
            uint address = 0;
            for (int part = 0; part < 4; part++)
            {
                if (part > 0)
                {
                    if (at >= text.Length || text[at] != '.') return 0;
                    at++;
                }
                uint v = 0;
                int digits = 0;
                while (at < text.Length && text[at] >= '0' && text[at] <= '9' && digits < 3)
                {
                    v = v * 10 + (uint)(text[at] - '0');
                    at++;
                    digits++;
                }
                if (digits == 0 || v > 255) return 0;
                address = address << 8 | v;
            }
            return address;
        }
    }
}
