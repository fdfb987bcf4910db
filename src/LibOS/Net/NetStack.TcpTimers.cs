// TCP's clocks and congestion control: the retransmission timer (RFC 6298: SRTT and RTTVAR,
// Karn's rule unless timestamps date the ACK, exponential backoff, a retry limit), NewReno
// (RFC 5681 slow start and congestion avoidance, RFC 6582 fast retransmit and recovery with
// partial ACKs), SACK-driven retransmission of holes during recovery (RFC 2018/6675 in a
// simple form), delayed ACKs, zero-window probes (given up after MaxRetries unanswered),
// keep-alive and TIME-WAIT expiry.
// The scan over every control block runs only when something is due: _timerDue is at most the
// earliest timer of any block (each site that arms a timer lowers it, the scan recomputes it),
// and 0 after the link refused a frame (output to retry) or keep-alive was switched on.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        private long _timerDue;

        /// <summary>A timer of some block was set to at (absolute milliseconds).</summary>
        private void Arm(long at)
        {
            if (at < _timerDue) _timerDue = at;
        }

        private void TcpTimers()
        {
            if (_now < _timerDue) return;
            _timerDue = long.MaxValue;
            foreach (TcpConnection c in _tcbs)
            {
                if (c.State <= TcpState.Listen) continue;
                TcpTimers(c);
                if (c.State <= TcpState.Listen) continue;
                long next = long.MaxValue;
                if (c.RetransmitAt != 0) next = c.RetransmitAt;
                if (c.DelayedAckAt != 0 && c.DelayedAckAt < next) next = c.DelayedAckAt;
                if (c.PersistAt != 0 && c.PersistAt < next) next = c.PersistAt;
                if (c.TimeWaitAt != 0 && c.TimeWaitAt < next) next = c.TimeWaitAt;
                if (c.KeepAlive && (c.State == TcpState.Established || c.State == TcpState.CloseWait))
                {
                    long probe = c.LastHeard + Config.KeepIdle + c.KeepAliveProbes * Config.KeepInterval;
                    if (probe < next) next = probe;
                }
                if (next < _timerDue) _timerDue = next;
            }
        }

        /// <summary>One block's due timers, and output the link refused earlier.</summary>
        private void TcpTimers(TcpConnection c)
        {
            if (c.TimeWaitAt != 0 && _now >= c.TimeWaitAt) { Release(c); return; }
            if (c.RetransmitAt != 0 && _now >= c.RetransmitAt)
            {
                RetransmitTimeout(c);
                if (c.State <= TcpState.Listen) return;
            }
            if (c.PersistAt != 0 && _now >= c.PersistAt)
            {
                // Probes go on for as long as the peer answers them (RFC 9293 3.8.6.1); a peer
                // that stopped answering is given up like one that stopped acknowledging data.
                if (c.SndWnd == 0 && ++c.ProbesUnanswered > Config.MaxRetries)
                {
                    Counters.TimedOut++;
                    Abort(c, NetError.TimedOut);
                    return;
                }
                Counters.WindowProbes++;
                if (c.PersistBackoff < 30) c.PersistBackoff++;
                c.PersistAt = 0;
                if (c.SndWnd == 0) Probe(c);
                TcpOutput(c);
                if (c.SndWnd == 0 && c.PersistAt == 0) Arm(c.PersistAt = _now + PersistDelay(c));
            }
            if (c.DelayedAckAt != 0 && _now >= c.DelayedAckAt)
            {
                c.DelayedAckAt = 0;
                c.AckNow = true;
                TcpOutput(c);
            }
            // Output the link refused earlier (its transmit ring was full): nothing else would retry it.
            if (c.AckNow || (c.State <= TcpState.SynReceived && c.SndNxt == c.Iss) ||
                (c.Synchronized && c.Send.Count > c.SndNxt - c.SndUna && c.SndNxt == c.SndUna) ||
                (c.FinQueued && !c.FinSent))
                TcpOutput(c);
            if (c.KeepAlive && (c.State == TcpState.Established || c.State == TcpState.CloseWait) &&
                _now - c.LastHeard >= Config.KeepIdle + c.KeepAliveProbes * Config.KeepInterval)
            {
                if (c.KeepAliveProbes >= Config.KeepCount) { Abort(c, NetError.TimedOut); return; }
                c.KeepAliveProbes++;
                Counters.KeepAlives++;
                Probe(c);
            }
        }

        /// <summary>The earliest timer of any connection, or limit if that is sooner.</summary>
        private long TcpNextTimer(long limit)
        {
            long next = limit;
            foreach (TcpConnection c in _tcbs)
            {
                if (c.State <= TcpState.Listen) continue;
                if (c.RetransmitAt != 0 && c.RetransmitAt < next) next = c.RetransmitAt;
                if (c.DelayedAckAt != 0 && c.DelayedAckAt < next) next = c.DelayedAckAt;
                if (c.PersistAt != 0 && c.PersistAt < next) next = c.PersistAt;
                if (c.TimeWaitAt != 0 && c.TimeWaitAt < next) next = c.TimeWaitAt;
            }
            return next;
        }

        /// <summary>A segment the peer must answer with an ACK (one below SND.UNA, no data): a
        /// zero-window probe or a keep-alive.</summary>
        private void Probe(TcpConnection c)
        {
            uint saved = c.SndNxt;
            SendSegment(c, c.SndUna - 1, 0, TcpSegment.Ack);
            c.SndNxt = saved;
        }

        private void Abort(TcpConnection c, int error)
        {
            if (c.Synchronized && c.State != TcpState.TimeWait)
                SendRaw(c.RemoteIp, c.LocalPort, c.RemotePort, c.SndNxt, 0, TcpSegment.Rst);
            c.Error = error;
            Counters.Aborted++;
            Release(c);
        }

        private void RetransmitTimeout(TcpConnection c)
        {
            c.RetransmitAt = 0;
            c.Retries++;
            bool opening = c.State == TcpState.SynSent || c.State == TcpState.SynReceived;
            if (c.Retries > (opening ? Config.SynRetries : Config.MaxRetries))
            {
                Counters.TimedOut++;
                Abort(c, NetError.TimedOut);
                return;
            }
            c.Rto = c.Rto * 2 > Config.RtoMax ? Config.RtoMax : c.Rto * 2;
            c.RttTiming = false;                        // Karn: no sample from a retransmission
            if (opening)
            {
                Counters.SynRetransmits++;
                c.SndNxt = c.Iss;
                TcpOutput(c);
                return;
            }
            Counters.RetransmitsTimeout++;
            uint flight = c.SndMax - c.SndUna;
            c.Ssthresh = Wire.Max(flight / 2, 2u * c.Mss);
            c.Cwnd = c.Mss;
            c.Recover = c.SndMax;
            c.InRecovery = false;
            c.DupAcks = 0;
            c.SackCount = 0;
            c.SndNxt = c.SndUna;
            TcpOutput(c);
            if (c.RetransmitAt == 0 && c.SndMax != c.SndUna) Arm(c.RetransmitAt = _now + c.Rto);
        }

        /// <summary>An RTT measurement in milliseconds (RFC 6298 section 2).</summary>
        private void RttSample(TcpConnection c, long r)
        {
            if (r < 0) return;
            if (r == 0) r = 1;
            if (c.Srtt == 0)
            {
                c.Srtt = r * 8;
                c.Rttvar = r * 2;                      // R/2, scaled by 4
            }
            else
            {
                long delta = r - c.Srtt / 8;
                c.Srtt += delta;                        // srtt += (r - srtt) / 8, scaled by 8
                if (delta < 0) delta = -delta;
                c.Rttvar += delta - c.Rttvar / 4;       // rttvar += (|delta| - rttvar) / 4, scaled by 4
            }
            long rto = c.Srtt / 8 + (c.Rttvar > 10 ? c.Rttvar : 10);
            c.Rto = rto < Config.RtoMin ? Config.RtoMin : rto > Config.RtoMax ? Config.RtoMax : rto;
        }

        private void NewAck(TcpConnection c, ref TcpSegment s)
        {
            uint ack = s.AckNo, acked = ack - c.SndUna, data = acked;
            if (c.FinSent && !c.FinAcked && Seq.Ge(ack, c.FinSeq + 1))
            {
                c.FinAcked = true;
                data--;
            }
            if (data > c.Send.Count) data = c.Send.Count;
            c.Send.Drop(data);
            if (c.TsOk && s.HasTimestamp && s.TsEcr != 0) RttSample(c, (long)((uint)_now + c.TsOffset - s.TsEcr));
            else if (c.RttTiming && Seq.Gt(ack, c.RttSeq))
            {
                c.RttTiming = false;
                RttSample(c, _now - c.RttStart);
            }
            c.Retries = 0;
            c.SndUna = ack;
            if (c.SummedCount > 0) PruneSummed(c);
            if (Seq.Lt(c.SndNxt, ack)) c.SndNxt = ack;
            if (Seq.Lt(c.HighRxt, ack)) c.HighRxt = ack;
            if (c.SackOk && s.SackBlocks > 0) Scoreboard(c, ref s);
            PruneScoreboard(c);
            if (c.InRecovery)
            {
                if (Seq.Ge(ack, c.Recover))
                {
                    c.InRecovery = false;           // a full ACK: deflate (RFC 6582 step 3)
                    c.Cwnd = Wire.Min(c.Ssthresh, Wire.Max(c.SndMax - c.SndUna, c.Mss) + c.Mss);
                    c.DupAcks = 0;
                }
                else
                {
                    Counters.RetransmitsPartial++;  // a partial ACK: the next hole is lost too
                    Resend(c, c.SndUna);
                    c.Cwnd = c.Cwnd > data ? c.Cwnd - data : c.Mss;
                    if (data >= c.Mss) c.Cwnd += c.Mss;
                    Arm(c.RetransmitAt = _now + c.Rto);
                }
            }
            else
            {
                c.DupAcks = 0;
                if (c.Cwnd < c.Ssthresh) c.Cwnd += Wire.Min(data, 2u * c.Mss);     // slow start (RFC 3465, L = 2)
                else c.Cwnd += Wire.Max(1, (uint)((ulong)c.Mss * c.Mss / c.Cwnd));    // congestion avoidance
                if (c.Cwnd > 16u << 20) c.Cwnd = 16u << 20;
            }
            if (c.SndMax == c.SndUna) c.RetransmitAt = 0;
            else Arm(c.RetransmitAt = _now + c.Rto);
        }

        private void DupAck(TcpConnection c, ref TcpSegment s)
        {
            Counters.DupAcks++;
            c.DupAcks++;
            if (c.SackOk && s.SackBlocks > 0) Scoreboard(c, ref s);
            if (!c.InRecovery)
            {
                if (Seq.Lt(c.SndUna, c.Recover)) return;
                if (c.DupAcks >= 3 || SackedAbove(c) >= 3u * c.Mss)
                {
                    EnterRecovery(c);
                    return;
                }
                // Limited transmit (RFC 3042): each of the first two duplicate ACKs lets one new
                // segment go beyond the congestion window, so a small flight still gets its third.
                uint cwnd = c.Cwnd;
                c.Cwnd = cwnd + (uint)c.DupAcks * c.Mss;
                TcpOutput(c);
                c.Cwnd = cwnd;
            }
            else
            {
                c.Cwnd += c.Mss;
                if (c.SackOk && c.SackCount > 0) RetransmitHole(c);
            }
        }

        /// <summary>Fast retransmit and the start of fast recovery (RFC 6582 step 2), after three
        /// duplicate ACKs or, with SACK, three segments' worth SACKed above SND.UNA (RFC 6675's
        /// loss rule, which also holds when the ACKs carry data and so are not duplicates).</summary>
        private void EnterRecovery(TcpConnection c)
        {
            uint flight = c.SndMax - c.SndUna;
            c.Ssthresh = Wire.Max(flight / 2, 2u * c.Mss);
            c.Recover = c.SndMax;
            c.InRecovery = true;
            c.HighRxt = c.SndUna;
            Counters.RetransmitsFast++;
            Resend(c, c.SndUna);
            c.Cwnd = c.Ssthresh + 3u * c.Mss;
            Arm(c.RetransmitAt = _now + c.Rto);
        }

        /// <summary>An ACK for SND.UNA that carries data (not a duplicate ACK) with SACK blocks:
        /// the scoreboard is updated; enough SACKed above SND.UNA starts recovery, and during
        /// recovery the next hole is sent.</summary>
        private void SackWithData(TcpConnection c, ref TcpSegment s)
        {
            Scoreboard(c, ref s);
            if (s.AckNo != c.SndUna || c.SndMax == c.SndUna) return;
            if (c.InRecovery) RetransmitHole(c);
            else if (!Seq.Lt(c.SndUna, c.Recover) && SackedAbove(c) >= 3u * c.Mss) EnterRecovery(c);
        }

        /// <summary>Bytes the scoreboard holds as SACKed above SND.UNA.</summary>
        private static uint SackedAbove(TcpConnection c)
        {
            uint n = 0;
            for (int i = 0; i < c.SackCount; i++) if (Seq.Gt(c.SackEnd[i], c.SndUna)) n += c.SackEnd[i] - Seq.Max(c.SackStart[i], c.SndUna);
            return n;
        }

        /// <summary>Sends the segment at seq again (without moving SND.NXT).</summary>
        private void Resend(TcpConnection c, uint seq)
        {
            uint offset = seq - c.SndUna;
            uint end = c.SndMax;
            uint dataEnd = c.Send.Count;
            uint length = offset < dataEnd ? Wire.Min(Wire.Min(c.Mss, dataEnd - offset), end - seq) : 0;
            bool fin = c.FinSent && seq + length == c.FinSeq;
            if (length == 0 && !fin) return;
            uint saved = c.SndNxt;
            byte flags = (byte)(TcpSegment.Ack | (fin ? TcpSegment.Fin : 0));
            SendData(c, seq, ref length, ref flags);
            c.SndNxt = saved;
            if (Seq.Gt(seq + length, c.HighRxt)) c.HighRxt = seq + length;
        }

        /// <summary>During recovery: the first hole after what was last retransmitted that lies below a
        /// SACKed block, sent again.</summary>
        private void RetransmitHole(TcpConnection c)
        {
            uint start = Seq.Max(c.HighRxt, c.SndUna), top = c.SndUna;
            for (int i = 0; i < c.SackCount; i++) top = Seq.Max(top, c.SackEnd[i]);
            for (bool moved = true; moved;)
            {
                moved = false;
                for (int i = 0; i < c.SackCount; i++)
                {
                    if (Seq.Ge(start, c.SackStart[i]) && Seq.Lt(start, c.SackEnd[i])) { start = c.SackEnd[i]; moved = true; }
                }
            }
            if (Seq.Ge(start, top)) return;
            uint end = top;
            for (int i = 0; i < c.SackCount; i++) if (Seq.Gt(c.SackStart[i], start) && Seq.Lt(c.SackStart[i], end)) end = c.SackStart[i];
            uint offset = start - c.SndUna;
            if (offset >= c.Send.Count) return;
            uint length = Wire.Min(Wire.Min(end - start, c.Mss), c.Send.Count - offset);
            uint saved = c.SndNxt;
            byte flags = TcpSegment.Ack;
            if (!SendData(c, start, ref length, ref flags)) return;
            c.SndNxt = saved;
            c.HighRxt = start + length;
            Counters.RetransmitsSack++;
        }

        /// <summary>Takes a segment's SACK blocks into the scoreboard (only blocks above SND.UNA
        /// and within what was sent; RFC 2018 section 5).</summary>
        private static void Scoreboard(TcpConnection c, ref TcpSegment s)
        {
            for (int b = 0; b < s.SackBlocks; b++)
            {
                uint start = s.SackStart[b], end = s.SackEnd[b];
                if (!Seq.Lt(start, end) || Seq.Le(end, c.SndUna) || Seq.Gt(end, c.SndMax) || end - start > 1u << 30) continue;
                if (Seq.Lt(start, c.SndUna)) start = c.SndUna;
                int i = 0;
                for (; i < c.SackCount; i++)
                {
                    if (Seq.Gt(start, c.SackEnd[i]) || Seq.Lt(end, c.SackStart[i])) continue;
                    c.SackStart[i] = Seq.Min(start, c.SackStart[i]);
                    c.SackEnd[i] = Seq.Max(end, c.SackEnd[i]);
                    break;
                }
                if (i < c.SackCount) continue;
                if (c.SackCount == TcpConnection.MaxSack)
                {
                    int lowest = 0;                 // keep the highest blocks: they mark what is lost below them
                    for (int j = 1; j < c.SackCount; j++) if (Seq.Lt(c.SackStart[j], c.SackStart[lowest])) lowest = j;
                    if (Seq.Lt(start, c.SackStart[lowest])) continue;
                    c.SackStart[lowest] = start;
                    c.SackEnd[lowest] = end;
                }
                else
                {
                    c.SackStart[c.SackCount] = start;
                    c.SackEnd[c.SackCount] = end;
                    c.SackCount++;
                }
            }
        }

        private static void PruneScoreboard(TcpConnection c)
        {
            for (int i = 0; i < c.SackCount;)
            {
                if (Seq.Le(c.SackEnd[i], c.SndUna))
                {
                    c.SackCount--;
                    c.SackStart[i] = c.SackStart[c.SackCount];
                    c.SackEnd[i] = c.SackEnd[c.SackCount];
                }
                else
                {
                    if (Seq.Lt(c.SackStart[i], c.SndUna)) c.SackStart[i] = c.SndUna;
                    i++;
                }
            }
        }
    }
}
