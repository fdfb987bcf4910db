// A TCP control block (RFC 9293 section 3.3.1) from the stack's fixed pool, with its send and
// receive buffers in the arena. Send holds the bytes from SND.UNA on (sent and not yet sent);
// Receive holds in-order unread bytes, and out-of-order data sits past them at its place, its
// ranges in Ooo*. A listening block heads its accept queue. Fields are the engine's (Tcp.cs);
// programs use the handle calls on NetStack. Summed*: ranges of the send buffer whose checksum
// sums a source knows (NetStack.TcpSend's summed form), in sequence order, at most MaxSummed.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe class TcpConnection
    {
        public const int MaxOoo = 8, MaxSack = 4, MaxSummed = 4;

        public int Index;
        public TcpState State;
        public uint LocalIp, RemoteIp;
        public ushort LocalPort, RemotePort;
        public TcpConnection HashNext, Parent, QueueNext, AcceptHead, AcceptTail, FreeNext, TimeWaitPrev, TimeWaitNext;
        public bool InTimeWaitList;
        public int Backlog, Embryonic, Queued;
        public bool Accepted, UserClosed;
        public int Error;

        // Sending
        public uint Iss, SndUna, SndNxt, SndMax, SndWl1, SndWl2, SndWnd, MaxSndWnd, FinSeq;
        public int SndShift;
        public ByteRing Send;
        public bool FinQueued, FinSent, FinAcked;
        public ushort Mss;
        public int SummedCount;
        public uint[] SummedSeq = new uint[MaxSummed], SummedLength = new uint[MaxSummed];
        public IChecksumSource[] SummedSource = new IChecksumSource[MaxSummed];
        public long[] SummedTag = new long[MaxSummed];
        public ulong[] SummedOffset = new ulong[MaxSummed];

        // Receiving
        public uint Irs, RcvNxt, RcvAdv, LastAckSent;
        public int RcvShift;
        public ByteRing Receive;
        public bool FinReceived, PendingFin;
        public uint PendingFinSeq;
        public int OooCount;
        public uint[] OooStart = new uint[MaxOoo], OooEnd = new uint[MaxOoo];
        public int UnackedSegments;
        /// <summary>Its ACK waits for the end of the batch of frames being processed.</summary>
        public bool AckDeferred;
        public bool AckNow;

        // Options
        public bool TsOk, SackOk, NoDelay, KeepAlive;
        public uint TsRecent, TsOffset;
        public long TsRecentAt;

        // Round-trip time (RFC 6298), in milliseconds scaled by 8 (Srtt) and 4 (Rttvar)
        public long Srtt, Rttvar, Rto;
        public bool RttTiming;
        public uint RttSeq;
        public long RttStart;
        public int Retries;

        // Timers: absolute times, 0 when off
        public long RetransmitAt, DelayedAckAt, PersistAt, KeepAliveAt, TimeWaitAt, LastHeard;
        public int PersistBackoff, KeepAliveProbes;
        /// <summary>Zero-window probes sent since the peer was last heard from.</summary>
        public int ProbesUnanswered;

        // Congestion control (NewReno, RFC 5681 and 6582) and the SACK scoreboard (RFC 2018)
        public uint Cwnd, Ssthresh, Recover, HighRxt;
        public int DupAcks;
        public bool InRecovery;
        public int SackCount;
        public uint[] SackStart = new uint[MaxSack], SackEnd = new uint[MaxSack];

        /// <summary>Bytes sent and not acknowledged (SYN and FIN count one).</summary>
        public uint InFlight => SndNxt - SndUna;

        public bool Synchronized => State >= TcpState.Established;

        /// <summary>Resets everything but the pool fields and the buffers' memory.</summary>
        public void Reset()
        {
            State = TcpState.Closed;
            HashNext = Parent = QueueNext = AcceptHead = AcceptTail = null;
            Backlog = Embryonic = Queued = 0;
            Accepted = UserClosed = false;
            Error = 0;
            Iss = SndUna = SndNxt = SndMax = SndWl1 = SndWl2 = SndWnd = MaxSndWnd = FinSeq = 0;
            SndShift = 0;
            Send.Clear();
            FinQueued = FinSent = FinAcked = false;
            for (int i = 0; i < SummedCount; i++) SummedSource[i] = null;
            SummedCount = 0;
            Irs = RcvNxt = RcvAdv = LastAckSent = 0;
            RcvShift = 0;
            Receive.Clear();
            FinReceived = PendingFin = false;
            PendingFinSeq = 0;
            OooCount = 0;
            UnackedSegments = 0;
            AckNow = false;
            TsOk = SackOk = NoDelay = KeepAlive = false;
            TsRecent = TsOffset = 0;
            TsRecentAt = 0;
            Srtt = Rttvar = 0;
            RttTiming = false;
            Retries = 0;
            RetransmitAt = DelayedAckAt = PersistAt = KeepAliveAt = TimeWaitAt = LastHeard = 0;
            PersistBackoff = KeepAliveProbes = ProbesUnanswered = 0;
            Cwnd = Ssthresh = Recover = HighRxt = 0;
            DupAcks = 0;
            InRecovery = false;
            SackCount = 0;
        }
    }
}
