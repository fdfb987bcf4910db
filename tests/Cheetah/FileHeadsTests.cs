// Precomputed heads (FileHeads) change no byte: the same requests (GET, HEAD, 304 by either
// condition, a range, a range past the end, HTTP/1.0 keep-alive, Connection: close, a new
// second) give byte-identical output with HttpConfig.PrecomputedHeads on and off, the cache is
// used when on and not when off, and a file that changes is served with its new validators.
using System.Text;

namespace ExoSharp.Tests.Cheetah
{
    public class FileHeadsTests
    {
        private const string Requests =
            "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
            "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /style.CSS HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"2-24-2ebc8a91\"\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-5\r\n\r\n" +
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=99-\r\n\r\n" +
            "GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /empty HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" +
            "GET /img/logo.png HTTP/1.1\r\nHost: x\r\n\r\n";

        private static Client Run(bool precomputed)
        {
            var c = new Client(config => config.PrecomputedHeads = precomputed);
            c.Send(Requests);
            c.Server.Now = Client.Now + 1;
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return c;
        }

        [Fact]
        public void SameBytesWithAndWithout()
        {
            Client on = Run(true), off = Run(false);
            Assert.Equal(Encoding.Latin1.GetString(off.Output), Encoding.Latin1.GetString(on.Output));
            var list = on.Responses("GET", "GET", "HEAD");
            Assert.Equal(new[] { 200, 200, 200, 200, 304, 304, 206, 416, 200, 200, 200, 200 }, list.Select(r => r.Status));
            Assert.Equal("Sun, 06 Nov 1994 08:49:38 GMT", list[11]["Date"]);
            Assert.True(on.Server.Heads.Hits >= 4, "heads reused: " + on.Server.Heads.Hits);
            Assert.Equal(0, off.Server.Heads.Hits + off.Server.Heads.Made);
        }

        [Fact]
        public void AChangedFileGetsNewValidators()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            string before = c.Only()["ETag"];
            c.Site.Add("/a.txt", "changed", Client.Now - 5);
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            var list = c.Responses();
            Assert.Equal(2, list.Count);
            Assert.NotEqual(before, list[1]["ETag"]);
            Assert.Equal("7", list[1]["Content-Length"]);
            Assert.Equal("changed", list[1].Text);
            Assert.Equal("Sun, 06 Nov 1994 08:49:32 GMT", list[1]["Last-Modified"]);
        }
    }
}
