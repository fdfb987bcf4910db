// One connection's HTTP/1.1: the caller puts received bytes in InputBuffer (Room bytes free at
// Filled) and takes the response bytes from Produce; requests are parsed in the buffer, answered
// one after another (pipelining), and their bytes dropped. Buffers are allocated once, at
// construction; a session is reused for the next connection after Reset. Times are the caller's
// milliseconds. Invariants: at most one response in progress; Done means everything is sent
// and the connection should close (the caller lingers, then closes); Failed means the response
// promised bytes the site could not read, so the connection must be aborted.
namespace ExoSharp.Apps.Cheetah.Http
{
    public sealed unsafe class HttpSession
    {
        private const string IndexFile = "/index.html";
        private readonly HttpServer _server;
        private readonly HttpConfig _config;
        public readonly byte[] InputBuffer;
        private readonly byte[] _head = new byte[1024];
        private byte* _headAt;          // _head, pinned by the caller's fixed for as long as it is set
        private readonly byte[] _path;
        private int _filled, _scanned;
        private int _headLength, _headSent;
        private bool _responding, _closeAfter, _inputEnded;
        private long _discard;
        // The body: a file of the site, or a short text.
        private SiteFile _file;
        private string _text;
        private ulong _bodyOffset, _bodyRemaining;
        // The body in the server's FileCache (at its offset there, of that generation), or -1.
        private int _cacheAt = -1;
        private long _cacheGeneration;
        // Times: the current request's first byte (-1: none); the end of the last response (or the
        // connection's start); the last byte of output.
        private long _requestStarted, _idleSince, _lastProgress;
        private long _now;              // the caller's time in the current Produce or Expire

        public bool Done { get; private set; }
        public bool Failed { get; private set; }
        public int Filled => _filled;
        public int Room => InputBuffer.Length - _filled;

        /// <summary>A response is being sent (Expire uses the send timeout).</summary>
        public bool Responding => _responding;

        /// <summary>Between requests with nothing buffered: until input comes, Produce has nothing to
        /// do and only Expire's idle timeout can change anything.</summary>
        public bool Waiting => !_responding && _filled == 0 && _discard == 0 && !Done && !Failed && !_inputEnded;

        /// <summary>After Produce: the first piece of its output copied from the server's FileCache
        /// (SummedLength 0: none), at SummedAt of the output, the cache's bytes SummedOffset on of
        /// the body FileCache.Tag SummedTag names: the caller may send it with the cache's sums.</summary>
        public int SummedAt;
        public uint SummedLength;
        public long SummedTag;
        public ulong SummedOffset;

        /// <summary>The last response's status (0 before the first).</summary>
        public int LastStatus { get; private set; }

        public HttpSession(HttpServer server)
        {
            _server = server;
            _config = server.Config;
            InputBuffer = new byte[_config.ReceiveBuffer];
            _path = new byte[_config.MaxTarget + IndexFile.Length + 2];
        }

        /// <summary>Forgets the previous connection; now: the new one's start.</summary>
        public void Reset(long now)
        {
            _filled = _scanned = _headLength = _headSent = 0;
            _responding = _closeAfter = _inputEnded = false;
            Done = Failed = false;
            _discard = 0;
            _text = null;
            _cacheAt = -1;
            _bodyOffset = _bodyRemaining = 0;
            _requestStarted = -1;
            _idleSince = _lastProgress = now;
            LastStatus = 0;
        }

        /// <summary>n bytes were stored in InputBuffer at Filled (n at most Room).</summary>
        public void Received(int n, long now)
        {
            if (n <= 0) return;
            _filled += n;
            if (_requestStarted < 0) _requestStarted = now;
        }

        /// <summary>The peer ended its sending direction: responses to complete requests are still
        /// sent, then Done.</summary>
        public void InputEnded() => _inputEnded = true;

        /// <summary>Expiry checks: 0 nothing to do; 1 close now (idle between requests, or only
        /// empty lines sent for a request's time); 2 abort (a response stalled). A request (or a
        /// request's body) that has not arrived in time gets a 408 and Done after it. Bytes received
        /// do not count as progress by themselves: a client trickling bytes still meets the
        /// request timeout, and one that sends but does not read still meets the send timeout.</summary>
        public int Expire(long now)
        {
            _now = now;
            if (Done) return 0;
            if (_responding) return now - _lastProgress > _config.SendTimeout ? 2 : 0;
            if (_filled == 0 && _discard == 0)
            {
                if (now - _idleSince > _config.IdleTimeout) return 1;
                return _requestStarted >= 0 && now - _requestStarted > _config.RequestTimeout ? 1 : 0;
            }
            long since = _requestStarted >= 0 ? _requestStarted : _idleSince;
            if (now - since > _config.RequestTimeout)
            {
                _filled = 0;
                _discard = 0;
                fixed (byte* head = _head)
                {
                    _headAt = head;
                    Error(HttpStatus.RequestTimeout, true, false, 0);
                    _headAt = null;
                }
            }
            return 0;
        }

        /// <summary>Writes up to capacity bytes of responses into output; how many. Parses and answers
        /// the requests in the buffer as the previous response completes.</summary>
        public int Produce(byte* output, int capacity, long now)
        {
            _now = now;
            int total = 0;
            SummedLength = 0;
            fixed (byte* head = _head)
            {
                _headAt = head;
                while (!Failed)
                {
                    if (_headSent < _headLength)
                    {
                        int n = Min(_headLength - _headSent, capacity - total);
                        if (n == 0) break;
                        Copy(head + _headSent, output + total, n);
                        _headSent += n;
                        total += n;
                        continue;
                    }
                    if (_bodyRemaining > 0)
                    {
                        int want = (int)(_bodyRemaining < (ulong)(capacity - total) ? _bodyRemaining : (ulong)(capacity - total));
                        if (want == 0) break;
                        long got;
                        if (_text != null)
                        {
                            for (int k = 0; k < want; k++)
                            {
                                int at = (int)_bodyOffset + k;
                                output[total + k] = at < _text.Length ? (byte)_text[at] : (byte)'\n';
                            }
                            got = want;
                        }
                        else if (_cacheAt >= 0 && _server.Cache.Read(_cacheAt, _cacheGeneration, _bodyOffset, output + total, want))
                        {
                            got = want;
                            if (SummedLength == 0)
                            {
                                SummedAt = total;
                                SummedLength = (uint)want;
                                SummedTag = FileCache.Tag(_cacheAt, _cacheGeneration);
                                SummedOffset = _bodyOffset;
                            }
                        }
                        else got = _server.Site.Read(ref _file, _bodyOffset, output + total, want);
                        if (got <= 0) { Failed = true; break; }
                        _bodyOffset += (ulong)got;
                        _bodyRemaining -= (ulong)got;
                        total += (int)got;
                        continue;
                    }
                    if (_responding)
                    {
                        _responding = false;
                        _text = null;
                        _idleSince = now;
                        if (_closeAfter) Done = true;
                    }
                    if (Done || total == capacity || !Next(now)) break;
                }
                _headAt = null;
            }
            if (total > 0) _lastProgress = now;
            return total;
        }

        /// <summary>Takes the next request from the buffer and starts its response: false when
        /// there is none (yet).</summary>
        private bool Next(long now)
        {
            fixed (byte* input = InputBuffer)
            {
                if (_discard > 0)
                {
                    int drop = (int)(_discard < _filled ? _discard : _filled);
                    Drop(input, drop);
                    _discard -= drop;
                    if (_discard > 0) return false;
                }
                int blank = 0;
                while (blank < _filled && (input[blank] == '\r' || input[blank] == '\n')) blank++;
                if (blank > 0) Drop(input, blank);
                if (_filled == 0)
                {
                    // Only empty lines so far: the request's clock keeps running.
                    if (_inputEnded) Done = true;
                    return false;
                }
                var request = new HttpRequest();
                int length = RequestParser.Parse(input, _filled, _config, ref _scanned, ref request);
                if (length == 0)
                {
                    if (_inputEnded) Done = true;   // a partial request and no more to come
                    return false;
                }
                if (length < 0)
                {
                    Error(-length, true, false, 0);
                    _filled = 0;
                    return true;
                }
                Respond(ref request, input);
                Drop(input, length);
                _requestStarted = _filled > 0 || _discard > 0 ? now : -1;
                return true;
            }
        }

        private void Drop(byte* input, int n)
        {
            Copy(input + n, input, _filled - n);
            _filled -= n;
            _scanned = 0;
        }

        private void Respond(ref HttpRequest r, byte* input)
        {
            bool head = r.Method == HttpMethod.Head;
            bool close = r.Close || (r.Minor == 0 && !r.KeepAlive);
            if ((r.Minor == 1 && r.HostCount == 0) || r.HostCount > 1) { Error(HttpStatus.BadRequest, true, head, 0); return; }
            if (r.TransferEncoding) { Error(HttpStatus.NotImplemented, true, head, 0); return; }
            _discard = r.ContentLength;
            if (r.Method == HttpMethod.Known) { Error(HttpStatus.MethodNotAllowed, close, false, 0); return; }
            if (r.Method == HttpMethod.Unknown) { Error(HttpStatus.NotImplemented, close, false, 0); return; }
            fixed (byte* path = _path)
            {
                if (r.TargetLength == 1 && input[r.TargetStart] == '*') { Error(HttpStatus.BadRequest, true, head, 0); return; }
                int status = TargetPath.Resolve(input + r.TargetStart, r.TargetLength, path, _path.Length - IndexFile.Length, out int pathLength, out bool trailing);
                if (status != 0) { Error(status, status == HttpStatus.BadRequest || close, head, 0); return; }
                _cacheAt = -1;
                SiteFile file = default;
                int cached = _server.Cache == null ? FileCache.NotTried :
                    _server.Cache.Find(_server.Site, path, pathLength, _server.Now, out file, out _cacheAt, out _cacheGeneration);
                if (cached != FileCache.Cached) _cacheAt = -1;
                if (cached == FileCache.Missing || (cached == FileCache.NotTried && !_server.Site.Lookup(path, pathLength, out file)))
                {
                    Error(HttpStatus.NotFound, close, head, 0);
                    return;
                }
                if (file.Directory)
                {
                    if (!trailing) { Redirect(path, pathLength, close, head); return; }
                    int at = pathLength == 1 ? 0 : pathLength;
                    for (int k = 0; k < IndexFile.Length; k++) path[at + k] = (byte)IndexFile[k];
                    pathLength = at + IndexFile.Length;
                    if (!_server.Site.Lookup(path, pathLength, out file) || file.Directory) { Error(HttpStatus.NotFound, close, head, 0); return; }
                }
                Serve(ref r, input, ref file, path, pathLength, close, head);
            }
        }

        private void Serve(ref HttpRequest r, byte* input, ref SiteFile file, byte* path, int pathLength, bool close, bool head)
        {
            if (file.Generated) { ServeGenerated(ref r, ref file, path, pathLength, close, head); return; }
            byte* tag = stackalloc byte[FileHeads.TagCapacity];
            int slot = _config.PrecomputedHeads ? _server.Heads.Find(ref file, path, pathLength) : -1;
            var t = new AsciiWriter(tag, FileHeads.TagCapacity);
            if (slot >= 0) t.Length = _server.Heads.Tag(slot, tag);
            else FileHeads.WriteTag(ref t, ref file);
            int status = HttpStatus.Ok;
            if (r.IfNoneMatchStart >= 0)
            {
                if (Conditions.NoneMatch(input + r.IfNoneMatchStart, r.IfNoneMatchLength, tag, t.Length)) status = HttpStatus.NotModified;
            }
            else if (r.IfModifiedSinceStart >= 0 && HttpDate.Parse(input + r.IfModifiedSinceStart, r.IfModifiedSinceLength, out ulong since) &&
                     file.Modified <= since)
                status = HttpStatus.NotModified;
            ulong first = 0, count = file.Size;
            if (status == HttpStatus.Ok && r.Method == HttpMethod.Get && r.RangeStart >= 0 &&
                (r.IfRangeStart < 0 || Conditions.IfRange(input + r.IfRangeStart, r.IfRangeLength, tag, t.Length, file.Modified)))
            {
                int range = Conditions.Range(input + r.RangeStart, r.RangeLength, file.Size, out first, out count);
                if (range == HttpStatus.RangeNotSatisfiable) { Error(HttpStatus.RangeNotSatisfiable, close, head, file.Size); return; }
                if (range == HttpStatus.PartialContent) status = HttpStatus.PartialContent;
                else { first = 0; count = file.Size; }
            }
            if (slot >= 0 && status == HttpStatus.Ok)
            {
                var h = new AsciiWriter(_headAt, _head.Length);
                _server.Heads.Write200(ref h, _server, slot);
                LastStatus = status;
                _server.Responses[2]++;
                End(ref h, close, r.Minor == 0);
                _file = file;
                _text = null;
                _bodyOffset = 0;
                _bodyRemaining = head ? 0 : file.Size;
                return;
            }
            var w = Begin(status);
            w.Text("Last-Modified: ");
            HttpDate.Format(file.Modified, ref w);
            w.Text("\r\nETag: ");
            w.Bytes(tag, t.Length);
            w.Text("\r\n");
            if (status != HttpStatus.NotModified)
            {
                w.Text("Accept-Ranges: bytes\r\nContent-Type: ");
                w.Text(file.ContentType ?? MimeTypes.Of(path, pathLength));
                w.Text("\r\n");
                if (status == HttpStatus.PartialContent)
                {
                    w.Text("Content-Range: bytes ");
                    w.Decimal(first); w.Byte((byte)'-'); w.Decimal(first + count - 1); w.Byte((byte)'/'); w.Decimal(file.Size);
                    w.Text("\r\n");
                }
                w.Text("Content-Length: ");
                w.Decimal(count);
                w.Text("\r\n");
            }
            End(ref w, close, r.Minor == 0);
            _file = file;
            _text = null;
            _bodyOffset = first;
            _bodyRemaining = head || status == HttpStatus.NotModified ? 0 : count;
        }

        /// <summary>A generated file: 200 and the whole body, never stored by a cache.</summary>
        private void ServeGenerated(ref HttpRequest r, ref SiteFile file, byte* path, int pathLength, bool close, bool head)
        {
            var w = Begin(HttpStatus.Ok);
            w.Text("Cache-Control: no-store\r\nContent-Type: ");
            w.Text(file.ContentType ?? MimeTypes.Of(path, pathLength));
            w.Text("\r\nContent-Length: ");
            w.Decimal(file.Size);
            w.Text("\r\n");
            End(ref w, close, r.Minor == 0);
            _file = file;
            _text = null;
            _bodyOffset = 0;
            _bodyRemaining = head ? 0 : file.Size;
        }

        /// <summary>301 to the directory's form with a slash, the path percent-encoded again.</summary>
        private void Redirect(byte* path, int pathLength, bool close, bool head)
        {
            var w = Begin(HttpStatus.MovedPermanently);
            w.Text("Location: ");
            for (int k = 0; k < pathLength; k++)
            {
                byte c = path[k];
                bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
                if (plain) w.Byte(c);
                else { w.Byte((byte)'%'); w.Byte((byte)"0123456789ABCDEF"[c >> 4]); w.Byte((byte)"0123456789ABCDEF"[c & 15]); }
            }
            string reason = HttpStatus.Reason(HttpStatus.MovedPermanently);
            w.Text("/\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ");
            w.Decimal((ulong)reason.Length + 1);
            w.Text("\r\n");
            End(ref w, close, false);
            TextBody(reason, head);
        }

        /// <summary>An error response with a short text body; close: the connection ends after it;
        /// size: the file's size for 416's Content-Range.</summary>
        private void Error(int status, bool close, bool head, ulong size)
        {
            string reason = HttpStatus.Reason(status);
            var w = Begin(status);
            if (status == HttpStatus.MethodNotAllowed) w.Text("Allow: GET, HEAD\r\n");
            if (status == HttpStatus.RangeNotSatisfiable) { w.Text("Content-Range: bytes */"); w.Decimal(size); w.Text("\r\n"); }
            w.Text("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
            w.Decimal((ulong)reason.Length + 1);
            w.Text("\r\n");
            End(ref w, close, false);
            TextBody(reason, head);
        }

        /// <summary>A body of text and a line feed (the text is a literal: nothing allocated).</summary>
        private void TextBody(string text, bool head)
        {
            _text = text;
            _bodyOffset = 0;
            _bodyRemaining = head ? 0 : (ulong)text.Length + 1;
        }

        private AsciiWriter Begin(int status)
        {
            var w = new AsciiWriter(_headAt, _head.Length);
            w.Text("HTTP/1.1 ");
            w.Decimal((ulong)status);
            w.Byte((byte)' ');
            w.Text(HttpStatus.Reason(status));
            w.Text("\r\n");
            _server.WriteDate(ref w);
            w.Text("Server: " + HttpServer.Name + "\r\n");
            LastStatus = status;
            _server.Responses[status / 100]++;
            return w;
        }

        private void End(ref AsciiWriter w, bool close, bool keepAlive10)
        {
            if (close) w.Text("Connection: close\r\n");
            else if (keepAlive10) w.Text("Connection: keep-alive\r\n");
            w.Text("\r\n");
            _headLength = w.Overflow ? 0 : w.Length;
            _headSent = 0;
            _responding = true;
            _lastProgress = _now;
            _closeAfter = close || w.Overflow;
        }

        private static int Min(int a, int b) => a < b ? a : b;

        private static void Copy(byte* from, byte* to, int n)
        {
            if (n > 0) System.Buffer.MemoryCopy(from, to, n, n);
        }
    }
}
