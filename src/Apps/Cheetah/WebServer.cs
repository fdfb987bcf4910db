// Cheetah, the web server: static files from a directory of the C-FFS system volume over HTTP/1.1
// (Http/) on port 80 of ExOS's TCP/IP stack (src/LibOS/Net). One environment, one event loop,
// no thread per connection. A connection over the limit gets 503 and is closed; a closing
// connection lingers (its unread input dropped) so the peer reads the last response instead of
// a reset. Arguments: "[N] [root=DIR] [max=M] [idle=S] [request=S]": exit after N connections
// (default: serve for ever), the site's directory (default /www), at most M connections served
// at once (default 128), idle and request timeouts in seconds (default 15 and 10).
// Missing: the exokernel techniques (precomputed packets and checksums, sending from the cache).
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Net;
using ExoSharp.LibOS.Net.Ring;

namespace ExoSharp.Apps.Cheetah
{
    internal static unsafe class WebServer
    {
        private const int RefuseSlots = 16;
        private const uint Chunk = 16384;
        private const byte Serving = 1, Lingering = 2;

        public static int Main(string arguments)
        {
            long limit = (long)Arguments.Number(arguments, 1_000_000_000);
            if (limit == 0) limit = long.MaxValue;
            string root = Value(arguments, "root=", "/www");
            int max = (int)Number(arguments, "max=", 128, 1024);
            if (max < 1) max = 1;
            var http = new HttpConfig();
            http.IdleTimeout = 1000 * (long)Number(arguments, "idle=", 15, 3600);
            http.RequestTimeout = 1000 * (long)Number(arguments, "request=", 10, 3600);

            long r = Files.Mount();
            if (r < 0)
            {
                System.Console.WriteLine("cheetah: no file system (error " + r.ToString() + ")");
                return 1;
            }
            var site = new CffsSite(Files.Volume, root);
            if (Files.Stat(root, out LibOS.ExOS.Cffs.FileStat rootStat) < 0 || (rootStat.Mode & 0xF000) != 0x4000)
            {
                System.Console.WriteLine("cheetah: no site directory " + root);
                return 1;
            }
            var config = new NetConfig
            {
                Address = 0x0A00_020Fu, Gateway = 0x0A00_0202, Netmask = 0xFFFF_FF00,
                TcpConnections = max + RefuseSlots + 16, TcpSendBuffer = 32768, TcpReceiveBuffer = 16384, TimeWait = 10_000,
            };
            NetInterface nif = NetInterface.Open(config, out string problem);
            if (nif == null)
            {
                System.Console.WriteLine("cheetah: " + problem);
                return 1;
            }
            NetStack stack = nif.Stack;
            int listener = stack.TcpListen(80, 64);
            if (listener < 0)
            {
                System.Console.WriteLine("cheetah: port 80 refused (" + listener.ToString() + ")");
                return 1;
            }
            var server = new HttpServer(http, site) { Now = Clock.UnixSeconds };
            int slots = max + RefuseSlots;
            var sessions = new HttpSession[slots];
            for (int i = 0; i < slots; i++) sessions[i] = new HttpSession(server);
            int* handles = stackalloc int[slots];
            byte* state = stackalloc byte[slots];
            long* until = stackalloc long[slots];
            ulong memoryAtStart = stack.MemoryUsed;
            System.Console.WriteLine("cheetah: ready: HTTP/1.1 on port 80 at " + Wire.FormatIpv4(stack.Address) + ", site " + root +
                                     ", at most " + max.ToString() + " connections; stack memory " + (memoryAtStart >> 10).ToString() + " KiB");
            int active = 0, serving = 0, peak = 0;
            long closed = 0, aborted = 0, timedOut = 0;
            byte[] scratchArray = new byte[Chunk];
            fixed (byte* scratch = scratchArray)
            {
                while (closed < limit || active > 0)
                {
                    bool progress = nif.Poll() > 0;
                    long now = NetClock.Now;
                    server.Now = Clock.UnixSeconds;
                    while (closed + active < limit)
                    {
                        int h = stack.TcpAccept(listener);
                        if (h < 0) break;
                        progress = true;
                        stack.TcpNoDelay(h, true);
                        if (serving < max)
                        {
                            sessions[active].Reset(now);
                            handles[active] = h;
                            state[active] = Serving;
                            active++;
                            serving++;
                        }
                        else if (active < slots)
                        {
                            int n = server.WriteRefusal(scratch, (int)Chunk);
                            stack.TcpSend(h, scratch, (uint)n);
                            stack.TcpShutdown(h);
                            handles[active] = h;
                            state[active] = Lingering;
                            until[active] = now + http.LingerTimeout;
                            active++;
                        }
                        else
                        {
                            server.Refused++;
                            stack.TcpAbort(h);
                            stack.TcpClose(h);
                            closed++;
                        }
                    }
                    if (serving > peak) peak = serving;
                    for (int i = 0; i < active; i++)
                    {
                        int h = handles[i];
                        HttpSession s = sessions[i];
                        bool remove = false;
                        if (state[i] == Lingering)
                        {
                            int n;
                            while ((n = stack.TcpReceive(h, scratch, Chunk)) > 0) progress = true;
                            if (n != NetError.WouldBlock || now > until[i])
                            {
                                stack.TcpClose(h);
                                remove = true;
                            }
                        }
                        else
                        {
                            bool failed = false;
                            fixed (byte* input = s.InputBuffer)
                                while (s.Room > 0)
                                {
                                    int n = stack.TcpReceive(h, input + s.Filled, (uint)s.Room);
                                    if (n == NetError.WouldBlock) break;
                                    progress = true;
                                    if (n == 0) { s.InputEnded(); break; }
                                    if (n < 0) { failed = true; break; }
                                    s.Received(n, now);
                                }
                            TcpConnection c = stack.Connection(h);
                            while (!failed && c != null && c.Send.Free > 0)
                            {
                                int n = s.Produce(scratch, (int)(c.Send.Free < Chunk ? c.Send.Free : Chunk), now);
                                if (n == 0) break;
                                progress = true;
                                if (stack.TcpSend(h, scratch, (uint)n) != n) failed = true;
                            }
                            int expiry = s.Expire(now);
                            if (expiry == 1) timedOut++;
                            if (failed || s.Failed || expiry == 2 || (stack.Readiness(h) & NetStack.Failed) != 0)
                            {
                                if (expiry == 2) timedOut++;
                                stack.TcpAbort(h);
                                stack.TcpClose(h);
                                aborted++;
                                remove = true;
                            }
                            else if (s.Done || expiry == 1)
                            {
                                stack.TcpShutdown(h);
                                state[i] = Lingering;
                                until[i] = now + http.LingerTimeout;
                                progress = true;
                            }
                            if (remove || state[i] == Lingering) serving--;
                        }
                        if (!remove) continue;
                        closed++;
                        active--;
                        handles[i] = handles[active];
                        state[i] = state[active];
                        until[i] = until[active];
                        sessions[i] = sessions[active];
                        sessions[active] = s;
                        i--;
                    }
                    if (!progress) nif.Wait(1);
                }
            }
            NetCounters k = stack.Counters;
            System.Console.WriteLine("cheetah: served " + server.Requests.ToString() + " requests on " + closed.ToString() + " connections (at most " +
                                     peak.ToString() + " at once): 2xx " + server.Responses[2].ToString() + ", 3xx " + server.Responses[3].ToString() +
                                     ", 4xx " + server.Responses[4].ToString() + ", 5xx " + server.Responses[5].ToString() + "; refused " +
                                     server.Refused.ToString() + ", timed out " + timedOut.ToString() + ", aborted " + aborted.ToString());
            System.Console.WriteLine("cheetah: segments in " + k.SegmentsIn.ToString() + ", out " + k.SegmentsOut.ToString() +
                                     "; retransmits: timeout " + k.RetransmitsTimeout.ToString() + ", fast " + k.RetransmitsFast.ToString() +
                                     "; stack memory " + (memoryAtStart >> 10).ToString() + " KiB at start, " + (stack.MemoryUsed >> 10).ToString() + " KiB at end");
            return 0;
        }

        /// <summary>The word after key in text (up to a space), or otherwise.</summary>
        private static string Value(string text, string key, string otherwise)
        {
            for (int i = 0; i + key.Length <= text.Length; i++)
            {
                if (i > 0 && text[i - 1] != ' ') continue;
                int k = 0;
                while (k < key.Length && text[i + k] == key[k]) k++;
                if (k < key.Length) continue;
                int start = i + k, end = start;
                while (end < text.Length && text[end] != ' ') end++;
                return text.Substring(start, end - start);
            }
            return otherwise;
        }

        private static ulong Number(string text, string key, ulong otherwise, ulong limit)
        {
            string v = Value(text, key, null);
            return v == null ? otherwise : Arguments.Number(v, limit);
        }
    }
}
