// The core's promise that a request costs no allocation: 1,000 pipelined requests of every kind
// (200, HEAD, 304, 206, 404, 405, a generated file) parsed and answered through one session over a site that itself
// allocates nothing, with .NET's per-thread allocation counter read before and after.
using System.Text;
using ExoSharp.Apps.Cheetah.Http;

namespace ExoSharp.Tests.Cheetah
{
    public class AllocationTests
    {
        private sealed unsafe class OneFileSite : ISite
        {
            private readonly byte[] _name = Encoding.ASCII.GetBytes("/f.txt");
            private readonly byte[] _generated = Encoding.ASCII.GetBytes("/g.json");
            private readonly byte[] _data = Encoding.ASCII.GetBytes("0123456789");

            public bool Lookup(byte* path, int length, out SiteFile file)
            {
                file = new SiteFile { Id = 9, Size = (ulong)_data.Length, Modified = 1000 };
                if (length == _generated.Length)
                {
                    for (int k = 0; k < length; k++) if (path[k] != _generated[k]) return false;
                    file.Generated = true;
                    file.ContentType = "application/json";
                    return true;
                }
                if (length != _name.Length) return false;
                for (int k = 0; k < length; k++) if (path[k] != _name[k]) return false;
                return true;
            }

            public long Read(ref SiteFile file, ulong offset, byte* into, int count)
            {
                int n = (int)Math.Min((ulong)count, (ulong)_data.Length - offset);
                for (int k = 0; k < n; k++) into[k] = _data[(int)offset + k];
                return n;
            }
        }

        [Fact]
        public unsafe void RequestsAllocateNothing()
        {
            var server = new HttpServer(new HttpConfig(), new OneFileSite()) { Now = 5000 };
            var session = new HttpSession(server);
            session.Reset(0);
            byte[] batch = Encoding.ASCII.GetBytes(
                "GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
                "HEAD /f.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /f.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"9-a-3e8\"\r\n\r\n" +
                "GET /f.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-4\r\n\r\n" +
                "GET /%6e%6f HTTP/1.1\r\nHost: x\r\n\r\n" +
                "POST /f.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /g.json HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] output = new byte[65536];
            void Round()
            {
                fixed (byte* input = session.InputBuffer)
                    for (int k = 0; k < batch.Length; k++) input[session.Filled + k] = batch[k];
                session.Received(batch.Length, 0);
                fixed (byte* o = output)
                    while (session.Produce(o, output.Length, 0) > 0) { }
            }
            Round();                                       // first use: anything lazy happens here
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 166; i++) Round();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.Equal(167 * 4, server.Responses[2]);   // 200, 200 (HEAD), 206, 200 (generated)
            Assert.Equal(167, server.Responses[3]);       // 304
            Assert.Equal(167 * 2, server.Responses[4]);   // 404, 405
            Assert.Equal(200, session.LastStatus);        // the generated file, last
        }
    }
}
