// Drives one HttpSession as a connection would: request bytes in (whole or in pieces), response
// bytes out through Produce with a chosen capacity, split into responses by their framing.
using System.Text;
using ExoSharp.Apps.Cheetah.Http;

namespace ExoSharp.Tests.Cheetah
{
    public sealed class Response
    {
        public string StatusLine;
        public int Status;
        public List<(string Name, string Value)> Headers = new();
        public byte[] Body;
        public string Head;

        public string this[string name] => Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();
        public bool Has(string name) => Headers.Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        public string Text => Encoding.Latin1.GetString(Body);
    }

    public sealed unsafe class Client
    {
        public const ulong Now = 784111777;          // Sun, 06 Nov 1994 08:49:37 GMT
        public readonly MemorySite Site = new();
        public readonly HttpConfig Config = new();
        public HttpServer Server;
        public HttpSession Session;
        public long Time;
        private readonly List<byte> _out = new();

        public Client(Action<HttpConfig> configure = null)
        {
            configure?.Invoke(Config);
            Site.Add("/index.html", "<h1>hello</h1>\n", Now - 86400);
            Site.Add("/a.txt", "0123456789abcdefghijklmnopqrstuvwxyz", Now - 3600);
            Site.Add("/style.CSS", "body{}", Now - 10);
            Site.Add("/img/logo.png", new byte[] { 0x89, 0x50, 0x4E, 0x47 }, Now - 10);
            Site.Add("/data.bin", new byte[] { 1, 2, 3 }, Now - 10);
            Site.Add("/empty", Array.Empty<byte>(), Now - 10);
            Site.Add("/a b.txt", "space", Now - 10);
            Site.Add("/docs/index.html", "<p>docs</p>", Now - 10);
            Site.Add("/noindex/file.txt", "x", Now - 10);
            Site.AddGenerated("/live", "{\"n\":1}\n", "application/json");
            Server = new HttpServer(Config, Site) { Now = Now };
            Session = new HttpSession(Server);
            Session.Reset(Time);
        }

        /// <summary>Sends bytes (in pieces of at most piece bytes) and pumps output with capacity.</summary>
        public void Send(byte[] data, int piece = int.MaxValue, int capacity = 65536)
        {
            int at = 0;
            while (at < data.Length)
            {
                int n = Math.Min(Math.Min(piece, data.Length - at), Session.Room);
                if (n == 0) { if (Pump(capacity) == 0) break; continue; }
                fixed (byte* input = Session.InputBuffer) Marshal(data, at, input + Session.Filled, n);
                Session.Received(n, Time);
                at += n;
                Pump(capacity);
            }
            Pump(capacity);
        }

        public void Send(string text, int piece = int.MaxValue, int capacity = 65536) => Send(Encoding.Latin1.GetBytes(text), piece, capacity);

        public int Pump(int capacity = 65536)
        {
            int total = 0;
            byte[] buffer = new byte[capacity];
            while (true)
            {
                int n;
                fixed (byte* b = buffer) n = Session.Produce(b, capacity, Time);
                if (n == 0) break;
                _out.AddRange(buffer.AsSpan(0, n).ToArray());
                total += n;
            }
            return total;
        }

        private static void Marshal(byte[] data, int at, byte* to, int n)
        {
            for (int k = 0; k < n; k++) to[k] = data[at + k];
        }

        public byte[] Output => _out.ToArray();

        /// <summary>The output so far as responses; requests names each one's method (HEAD and
        /// 304 have no body).</summary>
        public List<Response> Responses(params string[] methods)
        {
            var list = new List<Response>();
            byte[] o = Output;
            int at = 0;
            while (at < o.Length)
            {
                int end = IndexOf(o, at, "\r\n\r\n");
                Assert.True(end >= 0, "a complete head");
                var r = new Response { Head = Encoding.Latin1.GetString(o, at, end + 4 - at) };
                string[] lines = r.Head.Substring(0, r.Head.Length - 4).Split("\r\n");
                r.StatusLine = lines[0];
                r.Status = int.Parse(lines[0].Split(' ')[1]);
                foreach (string line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':');
                    r.Headers.Add((line.Substring(0, colon), line.Substring(colon + 2)));
                }
                at = end + 4;
                string method = list.Count < methods.Length ? methods[list.Count] : "GET";
                int length = method == "HEAD" || r.Status == 304 || r["Content-Length"] == null ? 0 : int.Parse(r["Content-Length"]);
                r.Body = o.AsSpan(at, length).ToArray();
                at += length;
                list.Add(r);
            }
            return list;
        }

        public Response Only(string method = "GET")
        {
            var list = Responses(method);
            Assert.Single(list);
            return list[0];
        }

        private static int IndexOf(byte[] o, int from, string what)
        {
            for (int i = from; i + what.Length <= o.Length; i++)
            {
                int k = 0;
                while (k < what.Length && o[i + k] == what[k]) k++;
                if (k == what.Length) return i;
            }
            return -1;
        }
    }
}
