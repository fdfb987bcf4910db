// Cheetah's connections on one NetStack: the listener on port 80, a table of connections each
// with its HttpSession, and the loop step a program's event loop calls (Step), so Cheetah can
// run alone (WebServer) or beside other services on the same stack (inet http). A connection
// over the limit gets 503 and is closed; a closing connection lingers (its unread input
// dropped) so the peer reads the last response instead of a reset. Buffers are allocated at
// construction; Step allocates nothing. Not thread-safe (one caller, as the stack). With a
// FixedReply (the benchmark's ceiling) no session parses anything: each request gets that reply.
// A connection with nothing to read, nothing to send and its session waiting between requests
// is passed over (a few loads instead of a receive, a produce, an expiry check and a readiness
// call); every SweepInterval milliseconds every connection is visited, for the timeouts.
// Responses are produced in place in the stack's send buffer (HttpConfig.InPlaceSend), bodies
// from the file cache with the cache's checksum sums (HttpConfig.PrecomputedSums).
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Apps.Cheetah
{
    internal sealed unsafe class HttpService
    {
        public const ushort Port = 80;
        public const int RefuseSlots = 16;
        private const uint Chunk = 16384;
        private const byte Serving = 1, Lingering = 2;
        private const long SweepInterval = 100;
        private const uint MinInPlace = 2048;

        public readonly HttpServer Server;
        private readonly NetStack _stack;
        private readonly HttpConfig _config;
        private readonly int _max, _listener;
        private readonly HttpSession[] _sessions;
        private readonly int[] _handles;
        private readonly byte[] _state;
        private readonly long[] _until;
        private readonly byte[] _scratch = new byte[Chunk];
        private readonly FixedReply _fixed;
        private int _active, _serving;
        private long _sweepAt;

        public int Active => _active;
        public int Peak { get; private set; }
        public long Closed { get; private set; }
        public long Aborted { get; private set; }
        public long TimedOut { get; private set; }

        /// <summary>The stack's control blocks a service of max connections needs.</summary>
        public static int ConnectionsNeeded(int max) => max + RefuseSlots + 1;

        private HttpService(NetStack stack, HttpServer server, int max, int listener, int fixedBody)
        {
            _stack = stack;
            Server = server;
            _config = server.Config;
            _max = max;
            _listener = listener;
            int slots = max + RefuseSlots;
            _sessions = new HttpSession[slots];
            for (int i = 0; i < slots; i++) _sessions[i] = new HttpSession(server);
            _handles = new int[slots];
            _state = new byte[slots];
            _until = new long[slots];
            if (fixedBody >= 0) _fixed = new FixedReply(fixedBody, slots);
        }

        /// <summary>Listens on port 80 of stack: the service, or null with the stack's error in error.
        /// fixedBody at least 0 (at most FixedReply.MaxBody): every request gets FixedReply's
        /// response of that many body bytes instead of the server's.</summary>
        public static HttpService Open(NetStack stack, HttpServer server, int max, out int error, int fixedBody = -1)
        {
            error = stack.TcpListen(Port, 64);
            if (error < 0) return null;
            if (fixedBody > FixedReply.MaxBody) fixedBody = FixedReply.MaxBody;
            return new HttpService(stack, server, max, error, fixedBody);
        }

        /// <summary>One pass: accepts (at most until accepts more connections in all), receives,
        /// answers, expires and closes; now in the stack's milliseconds. Whether anything happened.</summary>
        public bool Step(long now, long acceptLimit = long.MaxValue)
        {
            bool progress = false;
            Server.Now = Clock.UnixSeconds;
            fixed (byte* scratch = _scratch)
            {
                while (Closed + _active < acceptLimit)
                {
                    int h = _stack.TcpAccept(_listener);
                    if (h < 0) break;
                    progress = true;
                    _stack.TcpNoDelay(h, true);
                    if (_serving < _max)
                    {
                        _sessions[_active].Reset(now);
                        _fixed?.Reset(_active);
                        Add(h, Serving, 0);
                        _serving++;
                    }
                    else if (_active < _sessions.Length)
                    {
                        int n = Server.WriteRefusal(scratch, (int)Chunk);
                        _stack.TcpSend(h, scratch, (uint)n);
                        _stack.TcpShutdown(h);
                        Add(h, Lingering, now + _config.LingerTimeout);
                    }
                    else
                    {
                        Server.Refused++;
                        _stack.TcpAbort(h);
                        _stack.TcpClose(h);
                        Closed++;
                    }
                }
                if (_serving > Peak) Peak = _serving;
                bool sweep = now >= _sweepAt;
                if (sweep) _sweepAt = now + SweepInterval;
                for (int i = 0; i < _active; i++)
                {
                    if (!sweep && _state[i] == Serving && Quiet(i)) continue;
                    bool remove = _state[i] == Lingering ? Linger(i, now, scratch, ref progress) :
                                  _fixed != null ? ServeFixed(i, now, scratch, ref progress) : Serve(i, now, scratch, ref progress);
                    if (!remove) continue;
                    Closed++;
                    _active--;
                    HttpSession s = _sessions[i];
                    _handles[i] = _handles[_active];
                    _state[i] = _state[_active];
                    _until[i] = _until[_active];
                    _fixed?.Move(_active, i);
                    _sessions[i] = _sessions[_active];
                    _sessions[_active] = s;
                    i--;
                }
            }
            return progress;
        }

        /// <summary>Whether served connection i has nothing to do until input comes: its session
        /// (or fixed reply) waits between requests, and its connection is open with nothing to read.</summary>
        private bool Quiet(int i)
        {
            if (_fixed != null ? _fixed.Owed(i, out _) != 0 : !_sessions[i].Waiting) return false;
            TcpConnection c = _stack.Connection(_handles[i]);
            return c != null && c.State == TcpState.Established && c.Receive.Count == 0 && c.Error == 0;
        }

        private void Add(int h, byte state, long until)
        {
            _handles[_active] = h;
            _state[_active] = state;
            _until[_active] = until;
            _active++;
        }

        /// <summary>A closing connection: drops its input until the peer's FIN or the deadline.</summary>
        private bool Linger(int i, long now, byte* scratch, ref bool progress)
        {
            int h = _handles[i], n;
            while ((n = _stack.TcpReceive(h, scratch, Chunk)) > 0) progress = true;
            if (n != NetError.WouldBlock || now > _until[i])
            {
                _stack.TcpClose(h);
                return true;
            }
            return false;
        }

        /// <summary>A served connection: input into the session, responses into the send buffer.</summary>
        /// <summary>The response is done: our side closes, the slot waits for the peer's close.</summary>
        private void StartLingering(int i, int h, long now)
        {
            _stack.TcpShutdown(h);
            _state[i] = Lingering;
            _until[i] = now + _config.LingerTimeout;
            _serving--;
        }

        private bool Serve(int i, long now, byte* scratch, ref bool progress)
        {
            int h = _handles[i];
            HttpSession s = _sessions[i];
            bool failed = false;
            fixed (byte* input = s.InputBuffer)
                while (s.Room > 0)
                {
                    int n = _stack.TcpReceive(h, input + s.Filled, (uint)s.Room);
                    if (n == NetError.WouldBlock) break;
                    progress = true;
                    if (n == 0) { s.InputEnded(); break; }
                    if (n < 0) { failed = true; break; }
                    s.Received(n, now);
                }
            TcpConnection c = _stack.Connection(h);
            while (!failed && c != null && c.Send.Free > 0)
            {
                // In place: into the send buffer's free space up to where the buffer wraps (the rest
                // in the next turn of this loop); a sliver before the wrap goes through scratch.
                uint room = 0;
                byte* space = _config.InPlaceSend ? _stack.TcpSendSpace(h, out room) : null;
                bool inPlace = space != null && (room >= MinInPlace || room == c.Send.Free);
                uint capacity = inPlace ? room : c.Send.Free;
                int n = s.Produce(inPlace ? space : scratch, (int)(capacity < Chunk ? capacity : Chunk), now);
                if (n == 0) break;
                progress = true;
                bool summed = s.SummedLength > 0 && _config.PrecomputedSums;
                IChecksumSource source = summed ? Server.Cache : null;
                int sent = inPlace ? _stack.TcpSendCommit(h, (uint)n, source, s.SummedTag, s.SummedOffset, (uint)s.SummedAt, s.SummedLength)
                                   : _stack.TcpSend(h, scratch, (uint)n, source, s.SummedTag, s.SummedOffset, (uint)s.SummedAt, s.SummedLength);
                if (sent != n) failed = true;
            }
            int expiry = s.Expire(now);
            if (failed || s.Failed || expiry == 2 || (_stack.Readiness(h) & NetStack.Failed) != 0)
            {
                if (expiry == 2) TimedOut++;
                _stack.TcpAbort(h);
                _stack.TcpClose(h);
                Aborted++;
                _serving--;
                return true;
            }
            if (s.Done || expiry == 1)
            {
                if (expiry == 1) TimedOut++;
                StartLingering(i, h, now);
                progress = true;
            }
            return false;
        }

        /// <summary>A connection of the ceiling's: the fixed reply for each request end received.</summary>
        private bool ServeFixed(int i, long now, byte* scratch, ref bool progress)
        {
            int h = _handles[i], n;
            bool ended = false, failed = false;
            while ((n = _stack.TcpReceive(h, scratch, Chunk)) != NetError.WouldBlock)
            {
                if (n <= 0) { ended = n == 0; failed = n < 0; break; }
                progress = true;
                long ends = _fixed.Received(i, scratch, n);
                Server.Responses[2] += ends;
            }
            TcpConnection c = _stack.Connection(h);
            fixed (byte* reply = _fixed.Reply)
                while (!failed && c != null && c.Send.Free > 0)
                {
                    long owed = _fixed.Owed(i, out int at);
                    if (owed == 0) break;
                    long part = _fixed.Reply.Length - at;
                    if (part > owed) part = owed;
                    if (part > c.Send.Free) part = c.Send.Free;
                    if (_stack.TcpSend(h, reply + at, (uint)part) != part) { failed = true; break; }
                    _fixed.Sent(i, (int)part);
                    progress = true;
                }
            if (failed || (_stack.Readiness(h) & NetStack.Failed) != 0)
            {
                _stack.TcpAbort(h);
                _stack.TcpClose(h);
                Aborted++;
                _serving--;
                return true;
            }
            if (ended && _fixed.Owed(i, out _) == 0)
            {
                StartLingering(i, h, now);
                progress = true;
            }
            return false;
        }

        /// <summary>One line of what the service did, for a program's exit report.</summary>
        public string Report() =>
            "served " + Server.Requests.ToString() + " requests on " + Closed.ToString() + " connections (at most " +
            Peak.ToString() + " at once): 2xx " + Server.Responses[2].ToString() + ", 3xx " + Server.Responses[3].ToString() +
            ", 4xx " + Server.Responses[4].ToString() + ", 5xx " + Server.Responses[5].ToString() + "; refused " +
            Server.Refused.ToString() + ", timed out " + TimedOut.ToString() + ", aborted " + Aborted.ToString();
    }
}
