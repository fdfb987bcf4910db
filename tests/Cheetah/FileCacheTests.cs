// The file cache (FileCache, HttpConfig.FileCacheBytes) changes no byte: the same requests give
// byte-identical output with and without it; a second request for a file in the same second
// makes no site call at all; a file changed on the site is served with its new body and
// validators from the next second on (within the second the cached one, by design); a
// directory, a generated file and a file over a quarter of the arena go to the site every time;
// an arena that fills is emptied and a response still sending from it reads the site instead.
// The cache's checksum sums (its IChecksumSource) equal the stack's Checksum.Sum of the same bytes
// for every range, from odd and even offsets, and a session says which of its output came from it.
using System.Text;
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Cheetah
{
    public class FileCacheTests
    {
        private const string Requests =
            "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=3-9\r\n\r\n" +
            "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"2-24-2ebc8a91\"\r\n\r\n" +
            "GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /live HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /empty HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /img/logo.png HTTP/1.1\r\nHost: x\r\n\r\n";

        [Fact]
        public void SameBytesWithAndWithout()
        {
            var on = new Client(c => c.FileCacheBytes = 1 << 16);
            var off = new Client();
            on.Send(Requests);
            off.Send(Requests);
            Assert.Equal(Encoding.Latin1.GetString(off.Output), Encoding.Latin1.GetString(on.Output));
            var list = on.Responses("GET", "GET", "HEAD");
            Assert.Equal(new[] { 200, 206, 200, 304, 200, 200, 404, 200, 200 }, list.Select(r => r.Status));
            Assert.Equal("3456789", list[1].Text);
            Assert.True(on.Server.Cache.Hits >= 3, "hits " + on.Server.Cache.Hits);
            Assert.Null(off.Server.Cache);
        }

        [Fact]
        public void ChangesShowFromTheNextSecond()
        {
            var c = new Client(config => config.FileCacheBytes = 1 << 16);
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            long lookups = c.Site.Lookups;
            c.Site.Add("/a.txt", "changed", Client.Now - 5);
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(lookups, c.Site.Lookups);                 // the same second: no site call
            c.Server.Now = Client.Now + 1;
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            var list = c.Responses();
            Assert.Equal(36, list[1].Body.Length);
            Assert.Equal("changed", list[2].Text);
            Assert.Equal("7", list[2]["Content-Length"]);
            Assert.NotEqual(list[0]["ETag"], list[2]["ETag"]);
            Assert.Equal(2, c.Server.Cache.Fills);
        }

        [Fact]
        public unsafe void RangeSumsEqualTheChecksumOfTheBytes()
        {
            var c = new Client(config => config.FileCacheBytes = 1 << 16);
            byte[] first = new byte[77], body = new byte[1000];
            new Random(3).NextBytes(first);
            new Random(4).NextBytes(body);
            c.Site.Add("/first", first, Client.Now - 5);
            c.Site.Add("/body", body, Client.Now - 5);
            FileCache cache = c.Server.Cache;
            int at = 0;
            long generation = 0;
            foreach (string name in new[] { "/first", "/body" })
                fixed (byte* path = Encoding.ASCII.GetBytes(name))
                    Assert.Equal(FileCache.Cached, cache.Find(c.Site, path, name.Length, c.Server.Now, out _, out at, out generation));
            Assert.True(at > 0, "the second body lies after the first");
            long tag = FileCache.Tag(at, generation);
            int checkedRanges = 0;
            fixed (byte* b = body)
                for (int offset = 0; offset <= 200; offset++)
                    foreach (int length in new[] { 0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 500, 1000 - offset })
                    {
                        if (offset + length > body.Length) continue;
                        Assert.True(cache.Sum(tag, (ulong)offset, (uint)length, out ulong sum));
                        ulong want = Checksum.Sum(b + offset, (uint)length);
                        Assert.True(Checksum.Fold(sum) == Checksum.Fold(want), $"offset {offset} length {length}: {sum:x} against {want:x}");
                        checkedRanges++;
                    }
            Assert.True(checkedRanges > 2000);
            Assert.False(cache.Sum(FileCache.Tag(at, generation + 1), 0, 10, out _));

            var session = new HttpSession(c.Server);
            session.Reset(0);
            byte[] get = Encoding.ASCII.GetBytes("GET /body HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] output = new byte[4096];
            fixed (byte* input = session.InputBuffer) for (int k = 0; k < get.Length; k++) input[k] = get[k];
            session.Received(get.Length, 0);
            int n;
            fixed (byte* o = output) n = session.Produce(o, output.Length, 0);
            Assert.Equal((uint)body.Length, session.SummedLength);
            Assert.Equal(n - body.Length, session.SummedAt);
            Assert.Equal(tag, session.SummedTag);
            Assert.Equal(0UL, session.SummedOffset);
        }

        [Fact]
        public void LargeFilesAndAFullArenaGoToTheSite()
        {
            var c = new Client(config => config.FileCacheBytes = 256);
            c.Site.Add("/big.txt", new string('b', 65), Client.Now - 5);   // over a quarter of 256 bytes
            c.Send("GET /big.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /big.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(0, c.Server.Cache.Fills);
            // 16-byte bodies (each takes 64 bytes of the arena, a granule of its running sums):
            // while c's session sends /f0 a byte at a time, a second session on the same server
            // fills the cache with /f1../f4, which empties the arena (5 x 64 > 256).
            for (int k = 0; k < 5; k++) c.Site.Add("/f" + k, new string((char)('a' + k), 16), Client.Now - 5);
            long before = c.Server.Cache.Generation;
            var first = new HttpSession(c.Server);
            var other = new HttpSession(c.Server);
            first.Reset(0);
            other.Reset(0);
            byte[] get0 = Encoding.ASCII.GetBytes("GET /f0 HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] out0 = new byte[4096];
            int got0 = 0;
            byte[] request = Encoding.ASCII.GetBytes("GET /f1 HTTP/1.1\r\nHost: x\r\n\r\nGET /f2 HTTP/1.1\r\nHost: x\r\n\r\n" +
                                                     "GET /f3 HTTP/1.1\r\nHost: x\r\n\r\nGET /f4 HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] sink = new byte[4096];
            unsafe
            {
                fixed (byte* input = first.InputBuffer) for (int k = 0; k < get0.Length; k++) input[k] = get0[k];
                first.Received(get0.Length, 0);
                fixed (byte* o = out0) got0 = first.Produce(o, 10, 0);      // the head begun, the body not
                fixed (byte* input = other.InputBuffer) for (int k = 0; k < request.Length; k++) input[k] = request[k];
                other.Received(request.Length, 0);
                fixed (byte* o = sink) while (other.Produce(o, sink.Length, 0) > 0) { }
            }
            Assert.Equal(before + 1, c.Server.Cache.Generation);
            unsafe
            {
                fixed (byte* o = out0)
                    for (int n; (n = first.Produce(o + got0, out0.Length - got0, 0)) > 0;) got0 += n;
            }
            string response = Encoding.ASCII.GetString(out0, 0, got0);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
            Assert.EndsWith("\r\n\r\n" + new string('a', 16), response);

        }
    }
}
