// What one Cheetah server allows: buffer sizes, the limits whose excess gets 414 or 431, and
// the timeouts that end idle and slow connections. One instance per server, read by every
// session; the values are the server's policy, not HTTP's.
namespace ExoSharp.Apps.Cheetah.Http
{
    public sealed class HttpConfig
    {
        /// <summary>Bytes of a connection's receive buffer: a request's header section and the
        /// pipelined requests behind it must fit (more gets 431).</summary>
        public int ReceiveBuffer = 8192;

        /// <summary>Longest request-target; longer gets 414.</summary>
        public int MaxTarget = 2048;

        /// <summary>Longest header section (request line included); longer gets 431.</summary>
        public int MaxHeaderSection = 8000;

        /// <summary>Most header field lines in one request; more gets 431.</summary>
        public int MaxFields = 100;

        /// <summary>A connection with no request in progress is closed after this long (ms).</summary>
        public long IdleTimeout = 15_000;

        /// <summary>A request must arrive complete this long (ms) after its first byte, else 408
        /// and close (slow senders, slowloris).</summary>
        public long RequestTimeout = 10_000;

        /// <summary>A response that makes no progress this long (ms) is aborted (slow readers).</summary>
        public long SendTimeout = 30_000;

        /// <summary>After the last response of a connection that closes, unread input is read
        /// and dropped for at most this long (ms), so the peer sees the response, not a reset.</summary>
        public long LingerTimeout = 2_000;

        /// <summary>Heads of 200 responses to files from FileHeads (formatted once per file and
        /// second) rather than formatted per request; off only to measure what it saves.</summary>
        public bool PrecomputedHeads = true;

        /// <summary>Bytes of FileCache's arena (files' bodies kept in memory, checked once a
        /// second); 0: no cache, every request looks its file up and reads it.</summary>
        public int FileCacheBytes = 0;

        /// <summary>Bodies from FileCache are sent with their checksum sums from the cache's
        /// running sums (TcpSend's summed form) rather than summed by the stack; off only to
        /// measure what it saves.</summary>
        public bool PrecomputedSums = true;

        /// <summary>Responses are produced straight into the stack's send buffer (TcpSendSpace)
        /// rather than into a buffer of the server's and copied; off only to measure what it saves.</summary>
        public bool InPlaceSend = true;
    }
}
