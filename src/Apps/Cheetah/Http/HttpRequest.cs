// One parsed request, as offsets into the receive buffer it was parsed in (nothing copied, nothing
// allocated): valid until the session drops the request's bytes. Fields the server does not use
// are checked for syntax and skipped. Absent fields have Start -1.
namespace ExoSharp.Apps.Cheetah.Http
{
    public struct HttpRequest
    {
        /// <summary>Bytes of the request line and header section, the final empty line included.</summary>
        public int Length;
        public HttpMethod Method;
        public int TargetStart, TargetLength;
        /// <summary>1 for HTTP/1.1 (and any later 1.x), 0 for HTTP/1.0.</summary>
        public int Minor;
        public int HostCount;
        public bool Close, KeepAlive;
        public int IfNoneMatchStart, IfNoneMatchLength;
        public int IfModifiedSinceStart, IfModifiedSinceLength;
        public int RangeStart, RangeLength;
        public int IfRangeStart, IfRangeLength;
        /// <summary>The body's length from Content-Length, 0 without one.</summary>
        public long ContentLength;
        public bool TransferEncoding;

        public void Clear()
        {
            this = default;
            IfNoneMatchStart = IfModifiedSinceStart = RangeStart = IfRangeStart = -1;
        }
    }
}
