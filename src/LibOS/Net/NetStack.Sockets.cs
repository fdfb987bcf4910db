// The TCP calls a program makes (non-blocking; Ring/Sockets.cs adds blocking and a poll-like
// wait over the rings). A handle is a control block's index; it stays the program's until
// TcpClose, even after the connection ends (its error stays readable). Readiness bits for a
// wait over many handles: Readable (data, end of stream, an error, or a connection to accept),
// Writable (room in the send buffer of an open connection), Failed, Connected.
// Missing: handle generations (a stale handle after TcpClose names whatever reuses the block).
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        public const int Readable = 1, Writable = 2, Failed = 4, Connected = 8;

        private TcpConnection Handle(int h)
        {
            if ((uint)h >= (uint)_tcbs.Length) return null;
            TcpConnection c = _tcbs[h];
            return c.State != TcpState.Free && (c.Parent == null || c.Accepted) && !c.UserClosed ? c : null;
        }

        /// <summary>The control block behind a handle, for its state and numbers (read only).</summary>
        public TcpConnection Connection(int handle) => Handle(handle);

        /// <summary>Control block i of the pool whatever its state (half-open and unaccepted ones
        /// too), or null past the pool: for tests and diagnostics, read only.</summary>
        public TcpConnection Block(int i) => (uint)i < (uint)_tcbs.Length ? _tcbs[i] : null;

        public TcpState TcpStateOf(int handle) => Handle(handle)?.State ?? TcpState.Free;

        /// <summary>Listens on port with at most backlog connections half-open or waiting for accept.</summary>
        public int TcpListen(ushort port, int backlog)
        {
            if (port == 0 || backlog <= 0) return NetError.Invalid;
            if (FindListener(port) != null) return NetError.InUse;
            int slot = -1;
            for (int i = 0; i < MaxListeners; i++) if (_listeners[i] == null) { slot = i; break; }
            if (slot < 0) return NetError.NoResources;
            TcpConnection l = Allocate();
            if (l == null) return NetError.NoResources;
            l.State = TcpState.Listen;
            l.LocalIp = Config.Address;
            l.LocalPort = port;
            l.Backlog = backlog;
            _listeners[slot] = l;
            return l.Index;
        }

        /// <summary>The next established connection of a listener, or WouldBlock.</summary>
        public int TcpAccept(int listener)
        {
            TcpConnection l = Handle(listener);
            if (l == null || l.State != TcpState.Listen) return NetError.Invalid;
            TcpConnection c = l.AcceptHead;
            if (c == null) return NetError.WouldBlock;
            l.AcceptHead = c.QueueNext;
            if (l.AcceptHead == null) l.AcceptTail = null;
            c.QueueNext = null;
            l.Queued--;
            c.Accepted = true;
            c.Parent = null;
            return c.Index;
        }

        /// <summary>Opens a connection (SYN sent at once); its handle. Connected once Readiness says so.</summary>
        public int TcpConnect(uint address, ushort port, ushort localPort = 0)
        {
            if (address == 0 || port == 0 || Config.Address == 0) return NetError.Invalid;
            if (localPort == 0) localPort = EphemeralPort(address, port);
            if (localPort == 0) return NetError.InUse;
            if (Lookup(localPort, address, port) != null) return NetError.InUse;
            TcpConnection c = Allocate();
            if (c == null) return NetError.NoResources;
            c.State = TcpState.SynSent;
            c.LocalIp = Config.Address;
            c.LocalPort = localPort;
            c.RemoteIp = address;
            c.RemotePort = port;
            c.Accepted = true;
            InitConnection(c);
            HashInsert(c);
            Counters.ActiveOpens++;
            TcpOutput(c);
            return c.Index;
        }

        // The last destination's RFC 6056 offset (a client connects to one place again and again).
        private uint _portOffsetAddress, _portOffset, _portOffsetLocal;
        private ushort _portOffsetPort;

        /// <summary>RFC 6056 algorithm 3: a keyed offset per destination plus a counter.</summary>
        private ushort EphemeralPort(uint address, ushort port)
        {
            uint count = (uint)(Config.EphemeralHigh - Config.EphemeralLow + 1);
            if (address != _portOffsetAddress || port != _portOffsetPort || Config.Address != _portOffsetLocal)
            {
                _portOffset = (uint)SipHash.Hash(Config.Key0 ^ 0x6056, Config.Key1, Config.Address, address, port, 0);
                _portOffsetAddress = address;
                _portOffsetPort = port;
                _portOffsetLocal = Config.Address;
            }
            uint offset = _portOffset;
            for (uint i = 0; i < count; i++)
            {
                ushort candidate = (ushort)(Config.EphemeralLow + (offset + _ephemeralNext + i) % count);
                if (Lookup(candidate, address, port) != null || FindListener(candidate) != null) continue;
                _ephemeralNext += i + 1;
                return candidate;
            }
            return 0;
        }

        /// <summary>Queues up to length bytes; how many (at least 1), WouldBlock when the buffer is
        /// full, or an error.</summary>
        public int TcpSend(int handle, byte* data, uint length) => TcpSend(handle, data, length, null, 0, 0, 0, 0);

        /// <summary>TcpSend, where count bytes from at of data are source's bytes at offset of the
        /// contents tag names: segments carrying them take their checksum sum from source instead
        /// of reading them (while source still holds them). Nothing is summed with source null.</summary>
        public int TcpSend(int handle, byte* data, uint length, IChecksumSource source, long tag, ulong offset, uint at, uint count)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return NetError.Invalid;
            if (c.Error != 0) return c.Error;
            if (c.FinQueued || c.State == TcpState.Closed) return NetError.Closed;
            if (c.State == TcpState.Listen) return NetError.NotConnected;
            if (length == 0) return 0;
            uint start = c.SndUna + c.Send.Count;
            uint n = c.Send.Append(data, length);
            if (n == 0) return NetError.WouldBlock;
            if (source != null && at < n && count > 0) AddSummed(c, start + at, Wire.Min(count, n - at), source, tag, offset);
            if (c.Synchronized) TcpOutput(c);
            return (int)n;
        }

        /// <summary>Where a program may write bytes to send in place (no copy from a buffer of its
        /// own): the send buffer's free space, length bytes of it in one piece; null (length 0)
        /// when TcpSend would not take bytes now. TcpSendCommit sends what was written.</summary>
        public byte* TcpSendSpace(int handle, out uint length)
        {
            length = 0;
            TcpConnection c = Handle(handle);
            if (c == null || c.Error != 0 || c.FinQueued || c.State == TcpState.Closed || c.State == TcpState.Listen) return null;
            byte* at = c.Send.FreeSpace(out length);
            return length == 0 ? null : at;
        }

        /// <summary>Queues length bytes the program wrote at TcpSendSpace (at most its length), with
        /// TcpSend's summed range (source null: none); length, or an error.</summary>
        public int TcpSendCommit(int handle, uint length, IChecksumSource source, long tag, ulong offset, uint at, uint count)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return NetError.Invalid;
            if (c.Error != 0) return c.Error;
            if (c.FinQueued || c.State == TcpState.Closed) return NetError.Closed;
            if (c.State == TcpState.Listen) return NetError.NotConnected;
            c.Send.FreeSpace(out uint room);
            if (length > room) return NetError.Invalid;
            if (length == 0) return 0;
            uint start = c.SndUna + c.Send.Count;
            c.Send.Commit(length);
            if (source != null && at < length && count > 0) AddSummed(c, start + at, Wire.Min(count, length - at), source, tag, offset);
            if (c.Synchronized) TcpOutput(c);
            return (int)length;
        }

        /// <summary>Records [seq, seq + length) of the send buffer as source's bytes; the oldest
        /// range is forgotten (its segments summed by reading) when the log is full.</summary>
        private static void AddSummed(TcpConnection c, uint seq, uint length, IChecksumSource source, long tag, ulong offset)
        {
            PruneSummed(c);
            if (c.SummedCount == TcpConnection.MaxSummed)
            {
                for (int i = 1; i < c.SummedCount; i++)
                {
                    c.SummedSeq[i - 1] = c.SummedSeq[i];
                    c.SummedLength[i - 1] = c.SummedLength[i];
                    c.SummedSource[i - 1] = c.SummedSource[i];
                    c.SummedTag[i - 1] = c.SummedTag[i];
                    c.SummedOffset[i - 1] = c.SummedOffset[i];
                }
                c.SummedCount--;
            }
            int k = c.SummedCount++;
            c.SummedSeq[k] = seq;
            c.SummedLength[k] = length;
            c.SummedSource[k] = source;
            c.SummedTag[k] = tag;
            c.SummedOffset[k] = offset;
        }

        /// <summary>Forgets the summed ranges wholly acknowledged.</summary>
        private static void PruneSummed(TcpConnection c)
        {
            int keep = 0;
            for (int i = 0; i < c.SummedCount; i++)
            {
                if (Seq.Le(c.SummedSeq[i] + c.SummedLength[i], c.SndUna)) { c.SummedSource[i] = null; continue; }
                if (keep != i)
                {
                    c.SummedSeq[keep] = c.SummedSeq[i];
                    c.SummedLength[keep] = c.SummedLength[i];
                    c.SummedSource[keep] = c.SummedSource[i];
                    c.SummedTag[keep] = c.SummedTag[i];
                    c.SummedOffset[keep] = c.SummedOffset[i];
                    c.SummedSource[i] = null;
                }
                keep++;
            }
            c.SummedCount = keep;
        }

        /// <summary>Takes up to capacity bytes: how many, 0 at the end of the stream, WouldBlock, or an error.</summary>
        public int TcpReceive(int handle, byte* buffer, uint capacity)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return NetError.Invalid;
            uint n = Wire.Min(capacity, c.Receive.Count);
            if (n == 0)
            {
                if (c.Error != 0) return c.Error;
                if (c.FinReceived || c.State == TcpState.Closed) return 0;
                if (c.State == TcpState.Listen) return NetError.NotConnected;
                return NetError.WouldBlock;
            }
            c.Receive.ReadAt(0, buffer, n);
            c.Receive.Drop(n);
            // A window update when the right edge can move by two segments or half the buffer.
            if (c.Synchronized && !c.FinReceived && (c.RcvNxt + c.Receive.Free) - c.RcvAdv >= Wire.Min(c.Receive.Size / 2, 2u * c.Mss))
            {
                c.AckNow = true;
                TcpOutput(c);
            }
            return (int)n;
        }

        /// <summary>Ends the sending direction (a FIN after the queued data).</summary>
        public int TcpShutdown(int handle)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return NetError.Invalid;
            if (c.FinQueued) return 0;
            switch (c.State)
            {
                case TcpState.SynSent:
                    Release(c);
                    return 0;
                case TcpState.SynReceived:
                    c.FinQueued = true;
                    return 0;
                case TcpState.Established:
                    c.FinQueued = true;
                    c.State = TcpState.FinWait1;
                    break;
                case TcpState.CloseWait:
                    c.FinQueued = true;
                    c.State = TcpState.LastAck;
                    break;
                default:
                    return c.State == TcpState.Listen ? NetError.NotConnected : 0;
            }
            TcpOutput(c);
            return 0;
        }

        /// <summary>Gives the handle back: a graceful close (FIN after queued data), or a RST when
        /// received data was never read (RFC 2525 2.17); the connection finishes on its own.</summary>
        public int TcpClose(int handle)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return NetError.Invalid;
            if (c.State == TcpState.Listen)
            {
                for (int i = 0; i < MaxListeners; i++) if (_listeners[i] == c) _listeners[i] = null;
                foreach (TcpConnection t in _tcbs)
                    if (t.Parent == c && !t.Accepted && t.State != TcpState.Free) Abort(t, NetError.Reset);
                FreeTcb(c);
                return 0;
            }
            if (c.Receive.Count > 0 && c.Synchronized && c.State != TcpState.TimeWait)
            {
                c.UserClosed = true;
                Abort(c, NetError.Reset);
                return 0;
            }
            TcpShutdown(handle);
            c.UserClosed = true;
            if (c.State == TcpState.Closed || c.State == TcpState.SynSent) { Release(c); return 0; }
            if (c.State == TcpState.FinWait2 && c.TimeWaitAt == 0) Arm(c.TimeWaitAt = _now + Config.TimeWait);    // no FIN-WAIT-2 for ever
            return 0;
        }

        /// <summary>Resets the connection (RST) and gives the handle back.</summary>
        public void TcpAbort(int handle)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return;
            c.UserClosed = true;
            if (c.State == TcpState.Listen) { TcpClose(handle); return; }
            Abort(c, NetError.Reset);
        }

        public void TcpNoDelay(int handle, bool on)
        {
            TcpConnection c = Handle(handle);
            if (c != null) { c.NoDelay = on; if (c.Synchronized) TcpOutput(c); }
        }

        public void TcpKeepAlive(int handle, bool on)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return;
            c.KeepAlive = on;
            _timerDue = 0;
        }

        /// <summary>The readiness bits of a handle.</summary>
        public int Readiness(int handle)
        {
            TcpConnection c = Handle(handle);
            if (c == null) return Failed;
            if (c.State == TcpState.Listen) return c.AcceptHead != null ? Readable : 0;
            int r = 0;
            if (c.Receive.Count > 0 || c.FinReceived || c.State == TcpState.Closed || c.Error != 0) r |= Readable;
            if (c.Error != 0) r |= Failed;
            if (c.Synchronized && c.State != TcpState.TimeWait) r |= Connected;
            if ((c.State == TcpState.Established || c.State == TcpState.CloseWait) && !c.FinQueued && c.Send.Free > 0) r |= Writable;
            return r;
        }

        /// <summary>Connections still opening, open or closing: not free, listening, closed or in
        /// TIME-WAIT. A program that closed its connections waits for 0 before it ends, so its
        /// last FINs are retransmitted if lost and the peers see their close answered.</summary>
        public int ConnectionsActive
        {
            get
            {
                int n = 0;
                foreach (TcpConnection c in _tcbs)
                    if (c.State != TcpState.Free && c.State != TcpState.Listen && c.State != TcpState.Closed && c.State != TcpState.TimeWait) n++;
                return n;
            }
        }

        /// <summary>Connections in use (not free), listeners included: what a leak test counts.</summary>
        public int ConnectionsInUse
        {
            get
            {
                int n = 0;
                foreach (TcpConnection c in _tcbs) if (c.State != TcpState.Free) n++;
                return n;
            }
        }
    }
}
