// The benchmark's ceiling (cheetah fixed=SIZE, tools/httpbench.sh): every request on a
// connection is answered with the same 200 response of SIZE body bytes, built once at start,
// without parsing (a request is counted at each empty line, CRLF CRLF) and without a file, so
// what is left is the network path itself: QEMU, the card, ExOS's stack and the loop. Not an
// HTTP server: no methods, no paths, no limits beyond the connection's; never used to serve.
namespace ExoSharp.Apps.Cheetah
{
    internal sealed unsafe class FixedReply
    {
        public const int MaxBody = 1 << 20;
        public readonly byte[] Reply;

        // Per connection: the bytes of replies still owed, and how much of "\r\n\r\n" was seen last.
        private readonly long[] _owed;
        private readonly byte[] _matched;

        public FixedReply(int body, int slots)
        {
            string head = "HTTP/1.1 200 OK\r\nServer: Cheetah\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                          body.ToString() + "\r\n\r\n";
            Reply = new byte[head.Length + body];
            for (int i = 0; i < head.Length; i++) Reply[i] = (byte)head[i];
            for (int i = head.Length; i < Reply.Length; i++) Reply[i] = (byte)('a' + i % 26);
            _owed = new long[slots];
            _matched = new byte[slots];
        }

        /// <summary>Forgets slot's previous connection.</summary>
        public void Reset(int slot)
        {
            _owed[slot] = 0;
            _matched[slot] = 0;
        }

        /// <summary>Moves slot's state to to (the connection table was compacted).</summary>
        public void Move(int slot, int to)
        {
            _owed[to] = _owed[slot];
            _matched[to] = _matched[slot];
        }

        /// <summary>n received bytes at data: one reply owed for each request end among them, and
        /// how many there were.</summary>
        public long Received(int slot, byte* data, int n)
        {
            int m = _matched[slot];
            long ends = 0;
            for (int i = 0; i < n; i++)
            {
                byte b = data[i];
                if (b == (byte)((m & 1) == 0 ? '\r' : '\n')) m++;
                else m = b == '\r' ? 1 : 0;
                if (m == 4) { ends++; m = 0; }
            }
            _matched[slot] = (byte)m;
            _owed[slot] += ends * Reply.Length;
            return ends;
        }

        /// <summary>Bytes owed on slot, and where in Reply the next of them starts.</summary>
        public long Owed(int slot, out int at)
        {
            long owed = _owed[slot];
            at = owed == 0 ? 0 : (int)((Reply.Length - owed % Reply.Length) % Reply.Length);
            return owed;
        }

        /// <summary>n of slot's owed bytes were sent.</summary>
        public void Sent(int slot, int n) => _owed[slot] -= n;
    }
}
