// TCP's input side (RFC 9293 section 3.10.7): the control-block pool and its 4-tuple hash,
// listeners with a bounded SYN backlog, option negotiation (MSS, window scale, SACK,
// timestamps; RFC 7323, 2018), and segment arrival in every state, with RFC 5961's checks on
// RSTs, SYNs and ACKs, PAWS, the out-of-order queue, and FIN handling including simultaneous
// close. Output, timers and congestion control are in NetStack.TcpOutput.cs and TcpTimers.cs.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        private const int HashSize = 1024, MaxListeners = 16;

        private TcpConnection[] _tcbs;
        private TcpConnection[] _hash;
        private TcpConnection _freeTcbs;
        // The blocks in TIME-WAIT, oldest first (each entered or re-entered at the tail with the
        // same TimeWait): the one to recycle when the pool is empty is the head.
        private TcpConnection _timeWaitHead, _timeWaitTail;
        private readonly TcpConnection[] _listeners = new TcpConnection[MaxListeners];
        private uint _ephemeralNext;
        private long _challengeSecond;
        private int _challengeCount;
        private int _rcvShift;

        private void TcpInit()
        {
            _tcbs = new TcpConnection[Config.TcpConnections];
            _hash = new TcpConnection[HashSize];
            for (int i = _tcbs.Length - 1; i >= 0; i--)
            {
                var c = new TcpConnection
                {
                    Index = i,
                    Send = new ByteRing(_arena.Take(Config.TcpSendBuffer), Config.TcpSendBuffer),
                    Receive = new ByteRing(_arena.Take(Config.TcpReceiveBuffer), Config.TcpReceiveBuffer),
                };
                c.State = TcpState.Free;
                c.FreeNext = _freeTcbs;
                _freeTcbs = c;
                _tcbs[i] = c;
            }
            while ((Config.TcpReceiveBuffer >> _rcvShift) > 65535) _rcvShift++;
        }

        private static int HashOf(uint remoteIp, ushort remotePort, ushort localPort) =>
            (int)(((remoteIp ^ ((uint)remotePort << 16 | localPort)) * 0x9E37_79B1u) >> 22);

        private TcpConnection Lookup(ushort localPort, uint remoteIp, ushort remotePort)
        {
            for (TcpConnection c = _hash[HashOf(remoteIp, remotePort, localPort)]; c != null; c = c.HashNext)
                if (c.RemoteIp == remoteIp && c.RemotePort == remotePort && c.LocalPort == localPort) return c;
            return null;
        }

        private void HashInsert(TcpConnection c)
        {
            int h = HashOf(c.RemoteIp, c.RemotePort, c.LocalPort);
            c.HashNext = _hash[h];
            _hash[h] = c;
        }

        private void HashRemove(TcpConnection c)
        {
            int h = HashOf(c.RemoteIp, c.RemotePort, c.LocalPort);
            if (_hash[h] == c) { _hash[h] = c.HashNext; c.HashNext = null; return; }
            for (TcpConnection p = _hash[h]; p != null; p = p.HashNext)
            {
                if (p.HashNext != c) continue;
                p.HashNext = c.HashNext;
                c.HashNext = null;
                return;
            }
        }

        /// <summary>A free control block, recycling the oldest TIME-WAIT one if none is free.</summary>
        private TcpConnection Allocate()
        {
            TcpConnection c = _freeTcbs;
            if (c == null)
            {
                TcpConnection oldest = _timeWaitHead;
                if (oldest == null) return null;
                Counters.TimeWaitRecycled++;
                oldest.UserClosed = true;
                Release(oldest);
                c = _freeTcbs;
            }
            _freeTcbs = c.FreeNext;
            c.FreeNext = null;
            c.Reset();
            return c;
        }

        private void FreeTcb(TcpConnection c)
        {
            c.State = TcpState.Free;
            c.FreeNext = _freeTcbs;
            _freeTcbs = c;
        }

        /// <summary>The connection is over (closed, reset or timed out): off the hash; freed if no
        /// program holds it, else left Closed for the program to see.</summary>
        private void Release(TcpConnection c)
        {
            if (c.State == TcpState.Free) return;
            if (c.InTimeWaitList) LeaveTimeWaitList(c);
            if (c.State != TcpState.Closed && c.State != TcpState.Listen) HashRemove(c);
            c.RetransmitAt = c.DelayedAckAt = c.PersistAt = c.KeepAliveAt = c.TimeWaitAt = 0;
            TcpConnection parent = c.Parent;
            if (parent != null && !c.Accepted)
            {
                if (c.State == TcpState.SynReceived && !InQueue(parent, c)) parent.Embryonic--;
                else RemoveFromQueue(parent, c);
                FreeTcb(c);
                return;
            }
            if (c.UserClosed) FreeTcb(c);
            else c.State = TcpState.Closed;
        }

        private static bool InQueue(TcpConnection listener, TcpConnection c)
        {
            for (TcpConnection q = listener.AcceptHead; q != null; q = q.QueueNext) if (q == c) return true;
            return false;
        }

        private static void RemoveFromQueue(TcpConnection listener, TcpConnection c)
        {
            TcpConnection previous = null;
            for (TcpConnection q = listener.AcceptHead; q != null; previous = q, q = q.QueueNext)
            {
                if (q != c) continue;
                if (previous == null) listener.AcceptHead = q.QueueNext;
                else previous.QueueNext = q.QueueNext;
                if (listener.AcceptTail == q) listener.AcceptTail = previous;
                q.QueueNext = null;
                listener.Queued--;
                return;
            }
        }

        private TcpConnection FindListener(ushort port)
        {
            foreach (TcpConnection l in _listeners) if (l != null && l.LocalPort == port) return l;
            return null;
        }

        private void InitConnection(TcpConnection c)
        {
            // One keyed hash of the 4-tuple gives both secrets: its low half is RFC 6528's offset
            // of the initial sequence number (added to a 4-microsecond clock), its high half the
            // connection's timestamp offset (RFC 7323 section 7.1).
            ulong secret = SipHash.Hash(Config.Key0, Config.Key1, c.LocalIp, (uint)c.LocalPort << 16 | c.RemotePort, c.RemoteIp, 6528);
            c.Iss = (uint)(_now * 250) + (uint)secret;
            c.SndUna = c.SndNxt = c.SndMax = c.Iss;
            c.Recover = c.Iss;
            c.Rto = Config.RtoInitial;
            c.Mss = (ushort)(Config.Mtu - 40);
            c.Cwnd = 10u * c.Mss;                   // RFC 6928's initial window
            c.Ssthresh = 0x7FFF_FFFF;
            c.TsOffset = (uint)(secret >> 32);
            c.LastHeard = _now;
            c.RcvShift = Config.WindowScale ? _rcvShift : 0;
        }

        /// <summary>Takes the options of a SYN (passive) or SYN-ACK (active).</summary>
        private void Negotiate(TcpConnection c, ref TcpSegment s)
        {
            uint mss = s.Mss != 0 ? s.Mss : 536u;
            mss = Wire.Min(mss, Config.Mtu - 40u);
            if (mss < 88) mss = 88;
            if (Config.WindowScale && s.WindowShift >= 0) c.SndShift = s.WindowShift;
            else { c.SndShift = 0; c.RcvShift = 0; }
            c.SackOk = Config.Sack && s.SackPermitted;
            c.TsOk = Config.Timestamps && s.HasTimestamp;
            if (c.TsOk)
            {
                c.TsRecent = s.TsVal;
                c.TsRecentAt = _now;
                mss -= 12;
            }
            c.Mss = (ushort)mss;
            c.Cwnd = Wire.Min(10 * mss, Wire.Max(2 * mss, 14600));
        }

        private void TcpInput(uint source, uint destination, byte* tcp, uint length)
        {
            if (Checksum.Fold(Checksum.Sum(tcp, length, Checksum.Pseudo(source, destination, TcpProtocol, length))) != 0)
            {
                Counters.TcpBadChecksum++;
                return;
            }
            TcpSegment s = default;
            if (!s.Parse(tcp, length) || s.SourcePort == 0 || s.DestinationPort == 0) { Counters.TcpBad++; return; }
            s.Source = source;
            s.Destination = destination;
            Counters.SegmentsIn++;
            TcpConnection c = Lookup(s.DestinationPort, source, s.SourcePort);
            if (c == null)
            {
                TcpConnection l = FindListener(s.DestinationPort);
                if (l != null) ListenInput(l, ref s);
                else
                {
                    Counters.TcpNoConnection++;
                    ResetFor(ref s);
                }
                return;
            }
            if (c.State == TcpState.SynSent) SynSentInput(c, ref s);
            else SegmentInput(c, ref s);
        }

        private void ListenInput(TcpConnection l, ref TcpSegment s)
        {
            if (s.Has(TcpSegment.Rst)) return;
            if (s.Has(TcpSegment.Ack)) { ResetFor(ref s); return; }
            if (!s.Has(TcpSegment.Syn) || s.Has(TcpSegment.Fin)) return;
            if (l.Embryonic + l.Queued >= l.Backlog) { Counters.SynBacklogDrops++; return; }
            TcpConnection c = Allocate();
            if (c == null) { Counters.NoConnectionSlots++; return; }
            c.State = TcpState.SynReceived;
            c.LocalIp = Config.Address;
            c.LocalPort = s.DestinationPort;
            c.RemoteIp = s.Source;
            c.RemotePort = s.SourcePort;
            c.Parent = l;
            c.NoDelay = l.NoDelay;
            c.KeepAlive = l.KeepAlive;
            if (c.KeepAlive) _timerDue = 0;
            l.Embryonic++;
            HashInsert(c);
            InitConnection(c);
            Negotiate(c, ref s);
            c.Irs = s.SeqNo;
            c.RcvNxt = s.SeqNo + 1;
            c.SndWnd = s.Window;
            c.MaxSndWnd = s.Window;
            c.SndWl1 = s.SeqNo;
            c.SndWl2 = c.Iss;
            Counters.PassiveOpens++;
            TcpOutput(c);
        }

        private void SynSentInput(TcpConnection c, ref TcpSegment s)
        {
            bool ack = s.Has(TcpSegment.Ack);
            if (ack && (Seq.Le(s.AckNo, c.Iss) || Seq.Gt(s.AckNo, c.SndMax)))
            {
                if (!s.Has(TcpSegment.Rst)) ResetFor(ref s);
                return;
            }
            if (s.Has(TcpSegment.Rst))
            {
                if (!ack) return;
                Counters.ResetsIn++;
                c.Error = NetError.Refused;
                Release(c);
                return;
            }
            if (!s.Has(TcpSegment.Syn)) return;
            Negotiate(c, ref s);
            c.Irs = s.SeqNo;
            c.RcvNxt = s.SeqNo + 1;
            c.SndWnd = s.Window;
            c.MaxSndWnd = s.Window;
            c.SndWl1 = s.SeqNo;
            c.SndWl2 = s.AckNo;
            c.LastHeard = _now;
            if (ack)
            {
                if (c.Retries == 0) RttSample(c, _now - c.RttStart);
                c.SndUna = s.AckNo;
                c.Retries = 0;
                c.RetransmitAt = 0;
                c.State = TcpState.Established;
                Counters.Established++;
                // The handshake's ACK: left for the program's first data when merging (the delayed-ACK
                // timer as a bound), else at once.
                if (Config.MergeAcks && DeferAck(c)) Arm(c.DelayedAckAt = _now + Config.DelayedAck);
                else c.AckNow = true;
                if (c.FinQueued) c.State = TcpState.FinWait1;
            }
            else
            {
                c.State = TcpState.SynReceived;     // simultaneous open: our SYN again, now with an ACK
                c.SndNxt = c.Iss;
            }
            TcpOutput(c);
        }

        private void SegmentInput(TcpConnection c, ref TcpSegment s)
        {
            bool rst = s.Has(TcpSegment.Rst);
            // PAWS (RFC 7323 section 5)
            if (c.TsOk && s.HasTimestamp && !rst && Seq.Lt(s.TsVal, c.TsRecent) && _now - c.TsRecentAt < 24L * 24 * 3600 * 1000)
            {
                Counters.PawsDrops++;
                c.AckNow = true;
                TcpOutput(c);
                return;
            }
            // Our SYN-ACK was lost and the SYN came again (it lies just before RCV.NXT, so the
            // acceptability check below would answer it with a bare ACK): send the SYN-ACK again.
            if (c.State == TcpState.SynReceived && s.Has(TcpSegment.Syn) && !rst && !s.Has(TcpSegment.Ack) && s.SeqNo == c.Irs)
            {
                c.SndNxt = c.Iss;
                TcpOutput(c);
                return;
            }
            // Acceptability (RFC 9293 3.10.7.4, first check)
            uint window = c.Receive.Free, length = s.SequenceLength;
            bool acceptable = length == 0
                ? (window == 0 ? s.SeqNo == c.RcvNxt : Seq.In(s.SeqNo, c.RcvNxt, window))
                : s.SeqNo == c.RcvNxt || (window != 0 && (Seq.In(s.SeqNo, c.RcvNxt, window) || Seq.In(s.SeqNo + length - 1, c.RcvNxt, window)));
            if (c.State == TcpState.TimeWait && !acceptable && s.Has(TcpSegment.Fin) && !rst) acceptable = true;
            if (!acceptable)
            {
                Counters.OutOfWindow++;
                if (!rst)
                {
                    c.AckNow = true;
                    TcpOutput(c);
                }
                return;
            }
            // RST (RFC 5961 section 3)
            if (rst)
            {
                if (s.SeqNo != c.RcvNxt) { ChallengeAck(c); return; }
                Counters.ResetsIn++;
                c.Error = NetError.Reset;
                Release(c);
                return;
            }
            // SYN in a synchronized state (RFC 5961 section 4)
            if (s.Has(TcpSegment.Syn))
            {
                ChallengeAck(c);
                return;
            }
            if (!s.Has(TcpSegment.Ack)) return;
            c.LastHeard = _now;
            c.KeepAliveProbes = c.ProbesUnanswered = 0;
            if (c.State == TcpState.SynReceived)
            {
                if (Seq.Le(s.AckNo, c.Iss) || Seq.Gt(s.AckNo, c.SndMax)) { ResetFor(ref s); return; }
                c.SndUna = c.Iss + 1;
                c.Retries = 0;
                c.RetransmitAt = 0;
                if (c.Rto > Config.RtoInitial) c.Rto = Config.RtoInitial;
                c.State = c.FinQueued ? TcpState.FinWait1 : TcpState.Established;
                c.SndWnd = s.Window << c.SndShift;
                c.MaxSndWnd = Wire.Max(c.MaxSndWnd, c.SndWnd);
                c.SndWl1 = s.SeqNo;
                c.SndWl2 = s.AckNo;
                Counters.Established++;
                TcpConnection l = c.Parent;
                if (l != null && !c.Accepted)
                {
                    l.Embryonic--;
                    l.Queued++;
                    if (l.AcceptTail == null) l.AcceptHead = c;
                    else l.AcceptTail.QueueNext = c;
                    l.AcceptTail = c;
                }
            }
            // ACK (RFC 5961 section 5: neither beyond what we sent nor too old)
            if (Seq.Gt(s.AckNo, c.SndMax) || Seq.Lt(s.AckNo, c.SndUna - c.MaxSndWnd - 1))
            {
                ChallengeAck(c);
                return;
            }
            uint wnd = s.Window << c.SndShift;
            if (Seq.Gt(s.AckNo, c.SndUna)) NewAck(c, ref s);
            else if (s.AckNo == c.SndUna && s.Length == 0 && !s.Has(TcpSegment.Fin) && wnd == c.SndWnd && c.SndMax != c.SndUna)
                DupAck(c, ref s);
            else if (c.SackOk && s.SackBlocks > 0) SackWithData(c, ref s);
            if (Seq.Lt(c.SndWl1, s.SeqNo) || (c.SndWl1 == s.SeqNo && Seq.Le(c.SndWl2, s.AckNo)))
            {
                if (wnd != 0) c.PersistBackoff = 0;
                c.SndWnd = wnd;
                c.MaxSndWnd = Wire.Max(c.MaxSndWnd, wnd);
                c.SndWl1 = s.SeqNo;
                c.SndWl2 = s.AckNo;
            }
            if (c.FinAcked)
            {
                if (c.State == TcpState.FinWait1) c.State = TcpState.FinWait2;
                else if (c.State == TcpState.Closing) StartTimeWait(c);
                else if (c.State == TcpState.LastAck) { Release(c); return; }
            }
            // Timestamps (RFC 7323 section 4.3)
            if (c.TsOk && s.HasTimestamp && Seq.Ge(s.TsVal, c.TsRecent) && Seq.Le(s.SeqNo, c.LastAckSent))
            {
                c.TsRecent = s.TsVal;
                c.TsRecentAt = _now;
            }
            bool open = c.State == TcpState.Established || c.State == TcpState.FinWait1 || c.State == TcpState.FinWait2;
            if (s.Length > 0 && open) ReceiveData(c, ref s);
            if (s.Has(TcpSegment.Fin))
            {
                uint finSeq = s.SeqNo + s.Length;
                if (open)
                {
                    if (finSeq == c.RcvNxt) ProcessFin(c);
                    else if (Seq.Gt(finSeq, c.RcvNxt))
                    {
                        c.PendingFin = true;
                        c.PendingFinSeq = finSeq;
                        c.AckNow = true;
                    }
                }
                else
                {
                    if (c.State == TcpState.TimeWait) StartTimeWait(c);     // the peer's FIN again: the wait starts again
                    c.AckNow = true;
                }
            }
            TcpOutput(c);
        }

        private void LeaveTimeWaitList(TcpConnection c)
        {
            if (c.TimeWaitPrev == null) _timeWaitHead = c.TimeWaitNext;
            else c.TimeWaitPrev.TimeWaitNext = c.TimeWaitNext;
            if (c.TimeWaitNext == null) _timeWaitTail = c.TimeWaitPrev;
            else c.TimeWaitNext.TimeWaitPrev = c.TimeWaitPrev;
            c.TimeWaitPrev = c.TimeWaitNext = null;
            c.InTimeWaitList = false;
        }

        private void ProcessFin(TcpConnection c)
        {
            c.RcvNxt++;
            c.FinReceived = true;
            c.PendingFin = false;
            c.AckNow = true;
            if (c.State == TcpState.Established) c.State = TcpState.CloseWait;
            else if (c.State == TcpState.FinWait1)
            {
                if (c.FinAcked) StartTimeWait(c);
                else c.State = TcpState.Closing;    // simultaneous close
            }
            else if (c.State == TcpState.FinWait2) StartTimeWait(c);
        }

        private void StartTimeWait(TcpConnection c)
        {
            c.State = TcpState.TimeWait;
            Arm(c.TimeWaitAt = _now + Config.TimeWait);
            if (c.InTimeWaitList) LeaveTimeWaitList(c);
            c.InTimeWaitList = true;
            c.TimeWaitPrev = _timeWaitTail;
            c.TimeWaitNext = null;
            if (_timeWaitTail == null) _timeWaitHead = c;
            else _timeWaitTail.TimeWaitNext = c;
            _timeWaitTail = c;
            c.RetransmitAt = c.PersistAt = c.KeepAliveAt = 0;
            c.Send.Clear();
        }

        private void ReceiveData(TcpConnection c, ref TcpSegment s)
        {
            uint seq = s.SeqNo, length = s.Length;
            byte* data = s.Data;
            if (Seq.Lt(seq, c.RcvNxt))
            {
                uint cut = c.RcvNxt - seq;
                if (cut >= length) { c.AckNow = true; return; }
                data += cut;
                length -= cut;
                seq = c.RcvNxt;
            }
            uint offset = seq - c.RcvNxt, room = c.Receive.Free;
            if (offset >= room) { c.AckNow = true; return; }
            if (offset + length > room) length = room - offset;
            c.Receive.WriteAt(c.Receive.Count + offset, data, length);
            if (offset != 0)
            {
                Counters.OutOfOrder++;
                AddOoo(c, seq, seq + length);
                c.AckNow = true;
                return;
            }
            c.Receive.Count += length;
            c.RcvNxt += length;
            bool filled = false;
            for (bool merged = true; merged;)
            {
                merged = false;
                for (int i = 0; i < c.OooCount; i++)
                {
                    if (Seq.Gt(c.OooStart[i], c.RcvNxt)) continue;
                    if (Seq.Gt(c.OooEnd[i], c.RcvNxt))
                    {
                        uint more = c.OooEnd[i] - c.RcvNxt;
                        c.Receive.Count += more;
                        c.RcvNxt += more;
                    }
                    RemoveOoo(c, i);
                    merged = filled = true;
                    break;
                }
            }
            if (c.PendingFin && c.PendingFinSeq == c.RcvNxt) ProcessFin(c);
            if (filled || c.OooCount > 0) c.AckNow = true;
            else if (++c.UnackedSegments >= 2 && !DeferAck(c)) c.AckNow = true;
            else if (c.DelayedAckAt == 0) Arm(c.DelayedAckAt = _now + Config.DelayedAck);
        }

        /// <summary>Records [start, end) as received out of order, newest first (so SACK blocks
        /// report the latest first, RFC 2018 section 4); merges touching ranges.</summary>
        private static void AddOoo(TcpConnection c, uint start, uint end)
        {
            for (int i = 0; i < c.OooCount; i++)
            {
                if (Seq.Gt(start, c.OooEnd[i]) || Seq.Lt(end, c.OooStart[i])) continue;
                start = Seq.Min(start, c.OooStart[i]);
                end = Seq.Max(end, c.OooEnd[i]);
                RemoveOoo(c, i);
                i = -1;
            }
            if (c.OooCount == TcpConnection.MaxOoo) c.OooCount--;     // forget the oldest range: it is sent again
            for (int i = c.OooCount; i > 0; i--)
            {
                c.OooStart[i] = c.OooStart[i - 1];
                c.OooEnd[i] = c.OooEnd[i - 1];
            }
            c.OooStart[0] = start;
            c.OooEnd[0] = end;
            c.OooCount++;
        }

        private static void RemoveOoo(TcpConnection c, int i)
        {
            for (int j = i; j + 1 < c.OooCount; j++)
            {
                c.OooStart[j] = c.OooStart[j + 1];
                c.OooEnd[j] = c.OooEnd[j + 1];
            }
            c.OooCount--;
        }

        /// <summary>An ACK in answer to a suspicious segment, at most ChallengeAcksPerSecond a
        /// second over the stack (RFC 5961 section 7).</summary>
        private void ChallengeAck(TcpConnection c)
        {
            if (_now / 1000 != _challengeSecond) { _challengeSecond = _now / 1000; _challengeCount = 0; }
            if (++_challengeCount > Config.ChallengeAcksPerSecond) return;
            Counters.ChallengeAcks++;
            c.AckNow = true;
            TcpOutput(c);
        }

        private void TcpUnreachable(uint remote, ushort localPort, ushort remotePort, uint seq, byte code, ushort nextMtu)
        {
            TcpConnection c = Lookup(localPort, remote, remotePort);
            if (c == null || Seq.Lt(seq, c.SndUna) || Seq.Gt(seq, c.SndMax)) return;    // RFC 5927: only for data in flight
            if (code == 4)
            {
                uint mss = nextMtu >= 576 ? nextMtu - 40u - (c.TsOk ? 12u : 0) : 0;
                if (mss != 0 && mss < c.Mss)
                {
                    c.Mss = (ushort)mss;
                    c.SndNxt = c.SndUna;
                    TcpOutput(c);
                }
            }
            else if (c.State == TcpState.SynSent && (code == 2 || code == 3))
            {
                c.Error = NetError.Unreachable;
                Release(c);
            }
        }
    }
}
