// Cheetah, the web server, as a program of its own: static files from a directory of the C-FFS
// system volume over HTTP/1.1 (Http/) on port 80 of ExOS's TCP/IP stack (src/LibOS/Net), one
// environment, one event loop (HttpService), no thread per connection. Arguments:
// "[N] [root=DIR] [max=M] [idle=S] [request=S] [heads=off] [cache=off] [sums=off] [acks=off]
// [copies=on] [fixed=SIZE]": exit after N
// connections (default: serve for ever), the site's directory (default /www), at most M
// connections served at once (default 128), idle and request timeouts in seconds (default 15 and
// 10); heads=off: every response head formatted per request (Http/FileHeads.cs); cache=off: no
// 4 MiB file cache (Http/FileCache.cs), every request looks its file up and reads it; sums=off:
// cached bodies checksummed by the stack instead of from the cache's running sums; acks=off: no
// ACK merging (NetConfig.MergeAcks: an ACK owed at the end of a batch of frames is sent then,
// not left for the response to carry); copies=on: responses produced into a buffer of Cheetah's,
// then copied into the stack's send buffer (all for the benchmark's shares); fixed=SIZE: the benchmark's ceiling, every request answered with one
// SIZE-byte reply (FixedReply). It owns the address, so it cannot run beside inet (which serves
// the same site itself with `inet http`). /kernel is the kernel's tables, live (KernelSite).
// Missing: sending from the cache without copies (into the send buffer, then into the frame).
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Net;
using ExoSharp.LibOS.Net.Ring;

namespace ExoSharp.Apps.Cheetah
{
    internal static class WebServer
    {
        public static int Main(string arguments)
        {
            long limit = (long)Arguments.Number(arguments, 1_000_000_000);
            if (limit == 0) limit = long.MaxValue;
            string root = Value(arguments, "root=", "/www");
            int max = (int)Number(arguments, "max=", 128, 1024);
            if (max < 1) max = 1;
            HttpConfig http = Configure(arguments);
            CffsSite cffs = CffsSite.Open(root, out string problem);
            if (cffs == null)
            {
                System.Console.WriteLine("cheetah: " + problem);
                return 1;
            }
            var config = new NetConfig
            {
                Address = 0x0A00_020Fu, Gateway = 0x0A00_0202, Netmask = 0xFFFF_FF00,
                TcpConnections = HttpService.ConnectionsNeeded(max) + 16, TcpSendBuffer = 32768, TcpReceiveBuffer = 16384, TimeWait = 10_000,
                MergeAcks = Value(arguments, "acks=", "on") != "off",
            };
            NetInterface nif = NetInterface.Open(config, out problem);
            if (nif == null)
            {
                System.Console.WriteLine("cheetah: " + problem);
                return 1;
            }
            NetStack stack = nif.Stack;
            int fixedBody = (int)Number(arguments, "fixed=", ulong.MaxValue, FixedReply.MaxBody);
            HttpService service = HttpService.Open(stack, new HttpServer(http, new KernelSite(cffs)), max, out int error, fixedBody);
            if (service == null)
            {
                System.Console.WriteLine("cheetah: port 80 refused (" + error.ToString() + ")");
                return 1;
            }
            ulong memoryAtStart = stack.MemoryUsed;
            System.Console.WriteLine("cheetah: ready: HTTP/1.1 on port 80 at " + Wire.FormatIpv4(stack.Address) + ", site " + root +
                                     ", at most " + max.ToString() + " connections" +
                                     (fixedBody >= 0 ? ", every request answered with one fixed " + fixedBody.ToString() + "-byte reply" : "") +
                                     "; stack memory " + (memoryAtStart >> 10).ToString() + " KiB");
            while (service.Closed < limit || service.Active > 0)
            {
                bool progress = nif.Poll() > 0;
                progress |= service.Step(NetClock.Now, limit);
                if (!progress) nif.Wait(1);
            }
            NetCounters k = stack.Counters;
            System.Console.WriteLine("cheetah: " + service.Report());
            System.Console.WriteLine("cheetah: segments in " + k.SegmentsIn.ToString() + ", out " + k.SegmentsOut.ToString() +
                                     "; retransmits: timeout " + k.RetransmitsTimeout.ToString() + ", fast " + k.RetransmitsFast.ToString() +
                                     "; stack memory " + (memoryAtStart >> 10).ToString() + " KiB at start, " + (stack.MemoryUsed >> 10).ToString() + " KiB at end");
            return 0;
        }

        /// <summary>The HTTP configuration from a program's arguments (idle=S, request=S).</summary>
        public static HttpConfig Configure(string arguments)
        {
            var http = new HttpConfig();
            http.IdleTimeout = 1000 * (long)Number(arguments, "idle=", 15, 3600);
            http.RequestTimeout = 1000 * (long)Number(arguments, "request=", 10, 3600);
            http.PrecomputedHeads = Value(arguments, "heads=", "on") != "off";
            http.FileCacheBytes = Value(arguments, "cache=", "on") == "off" ? 0 : 4 << 20;
            http.PrecomputedSums = Value(arguments, "sums=", "on") != "off";
            http.InPlaceSend = Value(arguments, "copies=", "off") != "on";
            return http;
        }

        /// <summary>The word after key in text (up to a space), or otherwise.</summary>
        public static string Value(string text, string key, string otherwise)
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
