// The conformance list: one case per behaviour of Cheetah's HTTP/1.1 core (RFC 9110, 9112), each
// with the exact status and the headers that behaviour is about. The clock reads
// 784111777 (Sun, 06 Nov 1994 08:49:37 GMT); /a.txt was modified an hour before.
using ExoSharp.Apps.Cheetah.Http;

namespace ExoSharp.Tests.Cheetah
{
    public class ConformanceTests
    {
        private const string AtxtTag = "\"2-24-2ebc8a91\"";    // id 2, 36 bytes, modified Now - 3600
        private const string AtxtModified = "Sun, 06 Nov 1994 07:49:37 GMT";

        private static Response Get(string request, string method = "GET")
        {
            var c = new Client();
            c.Send(request);
            return c.Only(method);
        }

        [Fact]
        public void GetServesFileWithExactHead()
        {
            var r = Get("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: Cheetah\r\n" +
                         "Last-Modified: " + AtxtModified + "\r\nETag: " + AtxtTag + "\r\nAccept-Ranges: bytes\r\n" +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 36\r\n\r\n", r.Head);
            Assert.Equal("0123456789abcdefghijklmnopqrstuvwxyz", r.Text);
        }

        [Fact]
        public void HeadSendsGetsHeadersWithoutBody()
        {
            var c = new Client();
            c.Send("HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /empty HTTP/1.1\r\nHost: x\r\n\r\n");
            var list = c.Responses("HEAD", "GET");
            Assert.Equal(2, list.Count);
            Assert.Equal(200, list[0].Status);
            Assert.Equal("36", list[0]["Content-Length"]);
            Assert.Equal(AtxtTag, list[0]["ETag"]);
            Assert.Empty(list[0].Body);
            Assert.Equal("0", list[1]["Content-Length"]);   // the next response starts right after the head
        }

        [Fact]
        public void DateIsTheServersClock()
        {
            var c = new Client();
            c.Server.Now = 1_700_000_000;
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("Tue, 14 Nov 2023 22:13:20 GMT", c.Only()["Date"]);
        }

        [Fact]
        public void KeepAliveServesSeveralRequestsInTurn()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            c.Send("GET /data.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            var list = c.Responses();
            Assert.Equal(2, list.Count);
            Assert.All(list, r => Assert.False(r.Has("Connection")));
            Assert.Equal(new byte[] { 1, 2, 3 }, list[1].Body);
            Assert.False(c.Session.Done);
        }

        [Fact]
        public void PipelinedRequestsAnsweredInOrder()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nHEAD /data.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            var list = c.Responses("GET", "HEAD", "GET");
            Assert.Equal(new[] { 200, 200, 404 }, list.Select(r => r.Status));
        }

        [Fact]
        public void PipelinedRequestsTrickledByteByByteWithSmallWrites()
        {
            var c = new Client();
            string one = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
            c.Send(one + one + one, piece: 1, capacity: 7);
            var list = c.Responses();
            Assert.Equal(3, list.Count);
            Assert.All(list, r => Assert.Equal("0123456789abcdefghijklmnopqrstuvwxyz", r.Text));
        }

        [Fact]
        public void Http10ClosesByDefault()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.0\r\n\r\n");
            Assert.Equal("close", c.Only()["Connection"]);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void Http10KeepAliveOnRequest()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
            Assert.Equal("keep-alive", c.Only()["Connection"]);
            Assert.False(c.Session.Done);
        }

        [Fact]
        public void ConnectionCloseEndsAfterResponse()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("close", c.Only()["Connection"]);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void IfNoneMatchSameTagIs304()
        {
            var r = Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"zz\", " + AtxtTag + "\r\n\r\n");
            Assert.Equal("HTTP/1.1 304 Not Modified\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: Cheetah\r\n" +
                         "Last-Modified: " + AtxtModified + "\r\nETag: " + AtxtTag + "\r\n\r\n", r.Head);
        }

        [Fact]
        public void IfNoneMatchWeakTagIs304() =>
            Assert.Equal(304, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/" + AtxtTag + "\r\n\r\n").Status);

        [Fact]
        public void IfNoneMatchStarIs304() =>
            Assert.Equal(304, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n").Status);

        [Fact]
        public void IfNoneMatchOtherTagIs200() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n").Status);

        [Fact]
        public void IfModifiedSinceNotNewerIs304() =>
            Assert.Equal(304, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: " + AtxtModified + "\r\n\r\n").Status);

        [Fact]
        public void IfModifiedSinceOlderIs200() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Sun, 06 Nov 1994 07:49:36 GMT\r\n\r\n").Status);

        [Fact]
        public void IfModifiedSinceInvalidDateIgnored() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: yesterday\r\n\r\n").Status);

        [Fact]
        public void IfNoneMatchOverridesIfModifiedSince() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\nIf-Modified-Since: " + AtxtModified + "\r\n\r\n").Status);

        [Fact]
        public void RangeIs206WithContentRange()
        {
            var r = Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=10-15\r\n\r\n");
            Assert.Equal("HTTP/1.1 206 Partial Content", r.StatusLine);
            Assert.Equal("bytes 10-15/36", r["Content-Range"]);
            Assert.Equal("6", r["Content-Length"]);
            Assert.Equal("abcdef", r.Text);
        }

        private const string Common = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: Cheetah\r\n";

        [Fact]
        public void ExactHeadsOf206416405301()
        {
            Assert.Equal("HTTP/1.1 206 Partial Content\r\n" + Common + "Last-Modified: " + AtxtModified + "\r\nETag: " + AtxtTag +
                         "\r\nAccept-Ranges: bytes\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-0/36\r\nContent-Length: 1\r\n\r\n",
                         Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n").Head);
            Assert.Equal("HTTP/1.1 416 Range Not Satisfiable\r\n" + Common + "Content-Range: bytes */36\r\n" +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n\r\n",
                         Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=99-\r\n\r\n").Head);
            Assert.Equal("HTTP/1.1 405 Method Not Allowed\r\n" + Common + "Allow: GET, HEAD\r\n" +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\n\r\n",
                         Get("PUT /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").Head);
            Assert.Equal("HTTP/1.1 301 Moved Permanently\r\n" + Common + "Location: /docs/\r\n" +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 18\r\n\r\n",
                         Get("GET /docs HTTP/1.1\r\nHost: x\r\n\r\n").Head);
            Assert.Equal("HTTP/1.1 400 Bad Request\r\n" + Common +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\nConnection: close\r\n\r\n",
                         Get("GET /a.txt HTTP/1.1\r\n\r\n").Head);
        }

        [Fact]
        public void GeneratedFileIsNotStoredNorValidated()
        {
            const string head = "HTTP/1.1 200 OK\r\n" + Common + "Cache-Control: no-store\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n";
            var r = Get("GET /live HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(head, r.Head);
            Assert.Equal("{\"n\":1}\n", r.Text);
            // Range, If-None-Match and If-Modified-Since do not apply: the whole body again.
            r = Get("GET /live HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\nIf-None-Match: *\r\nIf-Modified-Since: " + AtxtModified + "\r\n\r\n");
            Assert.Equal(head, r.Head);
            Assert.Equal(8, r.Body.Length);
            r = Get("HEAD /live HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD");
            Assert.Equal(head, r.Head);
            Assert.Empty(r.Body);
        }

        [Fact]
        public void RedirectLocationIsPercentEncoded() =>
            Assert.Equal("/my%20docs/", Get2("/my docs", "GET /my%20docs HTTP/1.1\r\nHost: x\r\n\r\n")["Location"]);

        private static Response Get2(string directory, string request)
        {
            var c = new Client();
            c.Site.Add(directory + "/index.html", "x", Client.Now);
            c.Send(request);
            return c.Only();
        }

        [Fact]
        public void RangeSuffix()
        {
            var r = Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=-4\r\n\r\n");
            Assert.Equal("bytes 32-35/36", r["Content-Range"]);
            Assert.Equal("wxyz", r.Text);
        }

        [Fact]
        public void RangeOpenEndedAndClamped()
        {
            Assert.Equal("bytes 30-35/36", Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=30-\r\n\r\n")["Content-Range"]);
            Assert.Equal("bytes 30-35/36", Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=30-99999999999999999999\r\n\r\n")["Content-Range"]);
        }

        [Fact]
        public void RangePastEndIs416()
        {
            var r = Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=36-\r\n\r\n");
            Assert.Equal(416, r.Status);
            Assert.Equal("bytes */36", r["Content-Range"]);
            Assert.Equal("Range Not Satisfiable\n", r.Text);
        }

        [Fact]
        public void RangeOnEmptyFileIs416() =>
            Assert.Equal("bytes */0", Get("GET /empty HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\n\r\n")["Content-Range"]);

        [Fact]
        public void SeveralRangesIgnored() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1,5-6\r\n\r\n").Status);

        [Fact]
        public void InvalidRangeIgnored()
        {
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=9-3\r\n\r\n").Status);
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: pages=1-2\r\n\r\n").Status);
        }

        [Fact]
        public void IfRangeMatchingTagServesRange() =>
            Assert.Equal(206, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\nIf-Range: " + AtxtTag + "\r\n\r\n").Status);

        [Fact]
        public void IfRangeStaleTagServesWhole() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\nIf-Range: \"old\"\r\n\r\n").Status);

        [Fact]
        public void HeadIgnoresRange() =>
            Assert.Equal(200, Get("HEAD /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n", "HEAD").Status);

        [Theory]
        [InlineData("/index.html", "text/html; charset=utf-8")]
        [InlineData("/style.CSS", "text/css; charset=utf-8")]
        [InlineData("/img/logo.png", "image/png")]
        [InlineData("/data.bin", "application/octet-stream")]
        [InlineData("/empty", "application/octet-stream")]
        public void ContentTypeByExtension(string path, string type) =>
            Assert.Equal(type, Get("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")["Content-Type"]);

        [Fact]
        public void RootServesIndexHtml()
        {
            var r = Get("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(200, r.Status);
            Assert.Equal("<h1>hello</h1>\n", r.Text);
        }

        [Fact]
        public void DirectoryWithSlashServesIndexHtml() =>
            Assert.Equal("<p>docs</p>", Get("GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n").Text);

        [Fact]
        public void DirectoryWithoutSlashIs301()
        {
            var r = Get("GET /docs?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(301, r.Status);
            Assert.Equal("/docs/", r["Location"]);
        }

        [Fact]
        public void DirectoryWithoutIndexIs404() =>
            Assert.Equal(404, Get("GET /noindex/ HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Fact]
        public void MissingFileIs404AndKeepsConnection()
        {
            var c = new Client();
            c.Send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = c.Only();
            Assert.Equal("HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: Cheetah\r\n" +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\n\r\n", r.Head);
            Assert.Equal("Not Found\n", r.Text);
            Assert.False(c.Session.Done);
        }

        [Fact]
        public void MissingHostIs400AndCloses()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\n\r\n");
            var r = c.Only();
            Assert.Equal(400, r.Status);
            Assert.Equal("close", r["Connection"]);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void TwoHostFieldsAre400() =>
            Assert.Equal(400, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n").Status);

        [Theory]
        [InlineData("GARBAGE\r\n\r\n")]
        [InlineData("GET /a.txt HTTP/1.1\r\nHost : x\r\n\r\n")]
        [InlineData("GET /a.txt HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n")]
        [InlineData("GET /a.txt HTTP/1\r\nHost: x\r\n\r\n")]
        [InlineData("GET  /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")]
        [InlineData("GET /a.txt HTTP/1.1\rHost: x\r\n\r\n")]
        [InlineData("GET /a.txt HTTP/1.1\r\nHost: x\u0001\r\n\r\n")]
        [InlineData("GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n")]
        [InlineData("GET * HTTP/1.1\r\nHost: x\r\n\r\n")]
        [InlineData("GET a.txt HTTP/1.1\r\nHost: x\r\n\r\n")]
        [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n")]
        public void MalformedIs400AndCloses(string request)
        {
            var c = new Client();
            c.Send(request);
            var r = c.Only();
            Assert.Equal("HTTP/1.1 400 Bad Request", r.StatusLine);
            Assert.Equal("close", r["Connection"]);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void OtherMajorVersionIs505() =>
            Assert.Equal(505, Get("GET /a.txt HTTP/2.0\r\nHost: x\r\n\r\n").Status);

        [Theory]
        [InlineData("POST")]
        [InlineData("PUT")]
        [InlineData("DELETE")]
        [InlineData("OPTIONS")]
        public void KnownMethodIs405WithAllow(string method)
        {
            var r = Get(method + " /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("HTTP/1.1 405 Method Not Allowed", r.StatusLine);
            Assert.Equal("GET, HEAD", r["Allow"]);
        }

        [Fact]
        public void UnknownMethodIs501() =>
            Assert.Equal(501, Get("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Fact]
        public void LowerCaseMethodIsUnknown() =>
            Assert.Equal(501, Get("get /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Fact]
        public void LongUriIs414BeforeTheLineEnds()
        {
            var c = new Client();
            c.Send("GET /" + new string('a', 3000));
            var r = c.Only();
            Assert.Equal(414, r.Status);
            Assert.Equal("close", r["Connection"]);
        }

        [Fact]
        public void LargeHeaderSectionIs431()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', 9000));
            Assert.Equal(431, c.Only().Status);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void TooManyFieldsIs431()
        {
            string fields = string.Concat(Enumerable.Range(0, 120).Select(i => "X" + i + ": y\r\n"));
            Assert.Equal(431, Get("GET /a.txt HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n").Status);
        }

        [Fact]
        public void PercentEncodedPathDecoded() =>
            Assert.Equal("space", Get("GET /a%20b.txt HTTP/1.1\r\nHost: x\r\n\r\n").Text);

        [Theory]
        [InlineData("/../a.txt")]
        [InlineData("/%2e%2e/a.txt")]
        [InlineData("/img/..%2f..%2fa.txt")]
        [InlineData("/img/%2E%2E/%2E%2E/etc/passwd")]
        public void EscapeFromSiteIs404(string target) =>
            Assert.Equal(404, Get("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Theory]
        [InlineData("/img/../a.txt")]
        [InlineData("//img/./..//a.txt")]
        [InlineData("/a.txt?x=../../y")]
        [InlineData("http://example.com/a.txt")]
        public void NormalisedPathServed(string target) =>
            Assert.Equal(200, Get("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Theory]
        [InlineData("/a%zz.txt")]
        [InlineData("/a.txt%")]
        [InlineData("/a%00.txt")]
        public void BadEscapeIs400(string target) =>
            Assert.Equal(400, Get("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Fact]
        public void BodyOfGetSkippedBeforeNextRequest()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /data.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(new[] { 200, 200 }, c.Responses().Select(r => r.Status));
        }

        [Fact]
        public void TransferEncodingIs501AndCloses()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            Assert.Equal(501, c.Only().Status);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void LeadingEmptyLinesIgnored() =>
            Assert.Equal(200, Get("\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        [Fact]
        public void BareLineFeedsAccepted() =>
            Assert.Equal(200, Get("GET /a.txt HTTP/1.1\nHost: x\n\n").Status);

        [Fact]
        public void EndOfInputAfterRequestAnswersThenDone()
        {
            var c = new Client();
            c.Session.InputEnded();
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(200, c.Only().Status);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void LargeFileByteExactThroughSmallWrites()
        {
            var c = new Client();
            byte[] big = new byte[300_001];
            new Random(5).NextBytes(big);
            c.Site.Add("/big", big, Client.Now);
            c.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n", capacity: 1460);
            Assert.Equal(big, c.Only().Body);
        }

        [Fact]
        public void IdleConnectionExpires()
        {
            var c = new Client();
            c.Time = c.Config.IdleTimeout;
            Assert.Equal(0, c.Session.Expire(c.Time));
            c.Time++;
            Assert.Equal(1, c.Session.Expire(c.Time));
        }

        [Fact]
        public void SlowRequestGets408AndClose()
        {
            var c = new Client();
            c.Send("GET /a.txt HTTP/1.1\r\nHo");
            c.Time = c.Config.RequestTimeout + 1;
            c.Send("s");
            Assert.Equal(0, c.Session.Expire(c.Time));
            c.Pump();
            var r = c.Only();
            Assert.Equal(408, r.Status);
            Assert.Equal("close", r["Connection"]);
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void TrickledEmptyLinesDoNotKeepConnectionOpen()
        {
            var c = new Client();
            for (c.Time = 0; c.Time <= c.Config.RequestTimeout; c.Time += 1000)
            {
                c.Send("\r\n");
                Assert.Equal(0, c.Session.Expire(c.Time));
            }
            c.Time += 1000;
            c.Send("\r\n");
            Assert.Equal(1, c.Session.Expire(c.Time));
            Assert.Empty(c.Output);
        }

        [Fact]
        public void TrickledRequestGets408()
        {
            var c = new Client();
            string request = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
            int k = 0;
            for (; c.Time <= c.Config.RequestTimeout; c.Time += 1000, k++)
            {
                c.Send(request.Substring(k, 1));
                Assert.Equal(0, c.Session.Expire(c.Time));
            }
            Assert.Empty(c.Output);
            Assert.Equal(0, c.Session.Expire(c.Time));
            c.Pump();
            Assert.Equal(408, c.Only().Status);
        }

        [Fact]
        public void BodyThatNeverComesGets408()
        {
            var c = new Client();
            c.Time = c.Config.IdleTimeout - 1;           // a request late in an idle period
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
            Assert.Equal(0, c.Session.Expire(c.Time + c.Config.RequestTimeout));
            Assert.Equal(0, c.Session.Expire(c.Time + c.Config.RequestTimeout + 1));
            c.Pump();
            Assert.Equal(new[] { 200, 408 }, c.Responses().Select(r => r.Status));
            Assert.True(c.Session.Done);
        }

        [Fact]
        public void SendingWithoutReadingStillMeetsTheSendTimeout()
        {
            var c = new Client();
            c.Site.Add("/big", new byte[100_000], Client.Now);
            c.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n", capacity: 0);
            unsafe { byte* b = stackalloc byte[100]; c.Session.Produce(b, 100, 0); }
            c.Time = c.Config.SendTimeout;
            c.Send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", capacity: 0);
            Assert.Equal(2, c.Session.Expire(c.Config.SendTimeout + 1));
        }

        [Fact]
        public void StalledResponseAborts()
        {
            var c = new Client();
            byte[] big = new byte[100_000];
            c.Site.Add("/big", big, Client.Now);
            c.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n", capacity: 0);
            unsafe { byte* b = stackalloc byte[100]; c.Session.Produce(b, 100, 0); }
            Assert.True(c.Session.Responding);
            Assert.Equal(0, c.Session.Expire(c.Config.SendTimeout));
            Assert.Equal(2, c.Session.Expire(c.Config.SendTimeout + 1));
        }

        [Fact]
        public unsafe void RefusalIs503AndClose()
        {
            var c = new Client();
            byte* b = stackalloc byte[512];
            int n = c.Server.WriteRefusal(b, 512);
            string text = new string((sbyte*)b, 0, n);
            Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n", text);
            Assert.Contains("\r\nRetry-After: 1\r\n", text);
            Assert.Contains("\r\nConnection: close\r\n\r\n", text);
        }

        [Theory]
        [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
        [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
        [InlineData("Sun Nov  6 08:49:37 1994")]
        public unsafe void DatesInAllThreeForms(string text)
        {
            byte[] bytes = System.Text.Encoding.Latin1.GetBytes(text);
            fixed (byte* b = bytes)
            {
                Assert.True(HttpDate.Parse(b, bytes.Length, out ulong seconds));
                Assert.Equal(Client.Now, seconds);
            }
        }
    }
}
