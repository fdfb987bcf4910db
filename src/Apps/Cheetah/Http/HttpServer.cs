// What every connection of one server shares: the configuration, the site, the wall clock
// (its Date field formatted once a second) and the counters. Not thread-safe: one event loop.
namespace ExoSharp.Apps.Cheetah.Http
{
    public sealed unsafe class HttpServer
    {
        public readonly HttpConfig Config;
        public readonly ISite Site;
        public readonly FileHeads Heads = new FileHeads();
        /// <summary>The file cache; null when the configuration has none.</summary>
        public readonly FileCache Cache;
        public const string Name = "Cheetah";

        private readonly byte[] _date = new byte[HttpDate.Length];
        private ulong _dateOf = ulong.MaxValue;

        /// <summary>Requests answered, by status class (index status / 100), and refusals.</summary>
        public readonly long[] Responses = new long[6];
        public long Refused;

        public HttpServer(HttpConfig config, ISite site)
        {
            Config = config;
            Site = site;
            if (config.FileCacheBytes > 0) Cache = new FileCache(config.FileCacheBytes);
        }

        /// <summary>Seconds since the epoch, as the machine's wall clock says; set by the caller.</summary>
        public ulong Now;

        public long Requests => Responses[1] + Responses[2] + Responses[3] + Responses[4] + Responses[5];

        /// <summary>"Date: ...\r\n" for the current second.</summary>
        public void WriteDate(ref AsciiWriter w)
        {
            fixed (byte* date = _date)
            {
                if (_dateOf != Now)
                {
                    var d = new AsciiWriter(date, HttpDate.Length);
                    HttpDate.Format(Now, ref d);
                    _dateOf = Now;
                }
                w.Text("Date: ");
                w.Bytes(date, HttpDate.Length);
                w.Text("\r\n");
            }
        }

        /// <summary>The whole answer to a connection over the limit: 503, Retry-After, close.
        /// Its length (at most capacity; 0 if it does not fit).</summary>
        public int WriteRefusal(byte* output, int capacity)
        {
            const string Body = "503 Service Unavailable: too many connections\n";
            var w = new AsciiWriter(output, capacity);
            w.Text("HTTP/1.1 503 Service Unavailable\r\n");
            WriteDate(ref w);
            w.Text("Server: " + Name + "\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ");
            w.Decimal((ulong)Body.Length);
            w.Text("\r\nConnection: close\r\n\r\n" + Body);
            Refused++;
            return w.Overflow ? 0 : w.Length;
        }
    }
}
