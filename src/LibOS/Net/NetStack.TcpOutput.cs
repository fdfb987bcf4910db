// TCP's output side: what may be sent now (the peer's window, the congestion window, Nagle's
// rule with a no-delay option, sender-side silly-window avoidance), building each segment in
// the transmit slot (options: MSS, window scale, SACK-permitted and timestamps on SYNs;
// timestamps and SACK blocks after), the advertised window (receiver-side SWS avoidance, never
// shrinking), and RSTs for segments no connection owns.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        private const int MaxBurst = 64;

        /// <summary>Sends what the connection may send now, then an ACK if one is owed.</summary>
        private void TcpOutput(TcpConnection c)
        {
            switch (c.State)
            {
                case TcpState.SynSent:
                case TcpState.SynReceived:
                    if (c.SndNxt == c.Iss)
                    {
                        byte flags = c.State == TcpState.SynSent ? TcpSegment.Syn : (byte)(TcpSegment.Syn | TcpSegment.Ack);
                        if (!SendSegment(c, c.Iss, 0, flags)) return;
                        if (c.Retries == 0) c.RttStart = _now;
                        c.SndNxt = c.Iss + 1;
                        c.SndMax = Seq.Max(c.SndMax, c.SndNxt);
                        if (c.RetransmitAt == 0) Arm(c.RetransmitAt = _now + c.Rto);
                    }
                    else if (c.AckNow && c.State == TcpState.SynReceived) SendSegment(c, c.SndNxt, 0, TcpSegment.Ack);
                    return;
                case TcpState.Established:
                case TcpState.CloseWait:
                case TcpState.FinWait1:
                case TcpState.Closing:
                case TcpState.LastAck:
                    break;
                case TcpState.FinWait2:
                case TcpState.TimeWait:
                    if (c.AckNow) SendSegment(c, c.SndNxt, 0, TcpSegment.Ack);
                    return;
                default:
                    return;
            }
            uint avail = 0;
            for (int burst = 0; burst < MaxBurst; burst++)
            {
                if (c.FinSent && Seq.Gt(c.SndNxt, c.FinSeq)) { avail = 0; break; }
                uint offset = c.SndNxt - c.SndUna;
                avail = c.Send.Count > offset ? c.Send.Count - offset : 0;
                uint window = Wire.Min(c.SndWnd, c.Cwnd), flight = c.InFlight;
                uint usable = window > flight ? window - flight : 0;
                uint length = Wire.Min(Wire.Min(avail, usable), c.Mss);
                bool fin = c.FinQueued && !c.FinAcked && length == avail;
                if (length == 0 && !fin) break;
                if (length < c.Mss && length < avail)
                {
                    if (flight > 0 && usable < c.MaxSndWnd / 2) break;     // window too small: wait for more (SWS)
                }
                else if (length < c.Mss && !fin && !c.NoDelay && flight > 0) break;    // Nagle
                byte flags = (byte)(TcpSegment.Ack | (length == avail && length > 0 ? TcpSegment.Psh : 0) | (fin ? TcpSegment.Fin : 0));
                if (!SendData(c, c.SndNxt, ref length, ref flags)) break;
                fin = (flags & TcpSegment.Fin) != 0;
                if (!c.TsOk && !c.RttTiming && length > 0 && Seq.Ge(c.SndNxt, c.SndMax))
                {
                    c.RttTiming = true;
                    c.RttSeq = c.SndNxt;
                    c.RttStart = _now;
                }
                c.SndNxt += length;
                if (fin)
                {
                    c.FinSeq = c.SndNxt;
                    c.FinSent = true;
                    c.SndNxt++;
                }
                c.SndMax = Seq.Max(c.SndMax, c.SndNxt);
                if (c.RetransmitAt == 0) Arm(c.RetransmitAt = _now + c.Rto);
                c.PersistAt = 0;
                if (fin) break;
            }
            if (c.AckNow) SendSegment(c, c.SndNxt, 0, TcpSegment.Ack);
            if (c.SndWnd == 0 && avail > 0 && c.SndNxt == c.SndUna && c.PersistAt == 0)
                Arm(c.PersistAt = _now + PersistDelay(c));
        }

        private long PersistDelay(TcpConnection c)
        {
            long d = c.Rto << (c.PersistBackoff > 10 ? 10 : c.PersistBackoff);
            return d > Config.RtoMax ? Config.RtoMax : d;
        }

        /// <summary>The window to advertise (unscaled bytes): never shrinking the right edge already
        /// offered, and moving it only by a useful amount (RFC 9293 3.8.6.2.2).</summary>
        private uint AdvertisedWindow(TcpConnection c)
        {
            uint free = c.Receive.Free, edge = c.RcvNxt + free;
            if (Seq.Ge(c.RcvAdv, c.RcvNxt) && c.RcvAdv != 0)
            {
                if (Seq.Lt(edge, c.RcvAdv)) edge = c.RcvAdv;
                else if (edge - c.RcvAdv < Wire.Min(c.Receive.Size / 2, c.Mss)) edge = c.RcvAdv;
            }
            uint window = edge - c.RcvNxt;
            uint max = 65535u << c.RcvShift;
            return window > max ? max : window;
        }

        private bool SendSegment(TcpConnection c, uint seq, uint length, byte flags) => SendData(c, seq, ref length, ref flags);

        /// <summary>Builds and sends one segment from the connection: data from the send buffer at
        /// seq. False when the link is busy. Options may leave less room than length: then length
        /// says what went, and a FIN waits for the next segment (flags say).</summary>
        private bool SendData(TcpConnection c, uint seq, ref uint length, ref byte flags)
        {
            byte* t = StartIp();
            if (t == null) return false;
            uint options = 0;
            byte* o = t + 20;
            bool syn = (flags & TcpSegment.Syn) != 0;
            if (syn)
            {
                o[0] = 2; o[1] = 4; Wire.Put16(o + 2, Config.Mtu - 40u);
                options = 4;
                bool active = c.State == TcpState.SynSent;
                if (Config.WindowScale && (active || c.SndShift != 0 || c.RcvShift != 0))
                {
                    o[options] = 1; o[options + 1] = 3; o[options + 2] = 3; o[options + 3] = (byte)c.RcvShift;
                    options += 4;
                }
                if (Config.Sack && (active || c.SackOk))
                {
                    o[options] = 1; o[options + 1] = 1; o[options + 2] = 4; o[options + 3] = 2;
                    options += 4;
                }
                if (Config.Timestamps && (active || c.TsOk))
                {
                    o[options] = 1; o[options + 1] = 1; o[options + 2] = 8; o[options + 3] = 10;
                    Wire.Put32(o + options + 4, (uint)_now + c.TsOffset);
                    Wire.Put32(o + options + 8, c.TsRecent);
                    options += 12;
                }
            }
            else
            {
                if (c.TsOk)
                {
                    o[0] = 1; o[1] = 1; o[2] = 8; o[3] = 10;
                    Wire.Put32(o + 4, (uint)_now + c.TsOffset);
                    Wire.Put32(o + 8, c.TsRecent);
                    options = 12;
                }
                if (c.SackOk && c.OooCount > 0)
                {
                    int blocks = c.OooCount < (c.TsOk ? 3 : 4) ? c.OooCount : (c.TsOk ? 3 : 4);
                    o[options] = 1; o[options + 1] = 1; o[options + 2] = 5; o[options + 3] = (byte)(2 + 8 * blocks);
                    for (int b = 0; b < blocks; b++)
                    {
                        Wire.Put32(o + options + 4 + 8 * b, c.OooStart[b]);
                        Wire.Put32(o + options + 8 + 8 * b, c.OooEnd[b]);
                    }
                    options += 4 + 8 * (uint)blocks;
                }
            }
            uint header = 20 + options;
            if (header + length > Config.Mtu - 20u)
            {
                length = Config.Mtu - 20u - header;
                flags &= unchecked((byte)~(TcpSegment.Fin | TcpSegment.Psh));
            }
            Wire.Put16(t, c.LocalPort);
            Wire.Put16(t + 2, c.RemotePort);
            Wire.Put32(t + 4, seq);
            bool ack = (flags & TcpSegment.Ack) != 0;
            Wire.Put32(t + 8, ack ? c.RcvNxt : 0);
            t[12] = (byte)((header / 4) << 4);
            t[13] = flags;
            uint window = syn ? Wire.Min(c.Receive.Free, 65535) : AdvertisedWindow(c);
            Wire.Put16(t + 14, syn ? window : window >> c.RcvShift);
            Wire.Put32(t + 16, 0);
            ulong sum = Checksum.Pseudo(Config.Address, c.RemoteIp, TcpProtocol, header + length);
            if (length > 0)
            {
                c.Send.ReadAt(seq - c.SndUna, t + header, length);
                sum = c.SummedCount > 0 ? DataSum(c, seq, t + header, length, sum) : Checksum.Sum(t + header, length, sum);
            }
            Wire.Put16(t + 16, Checksum.Fold(Checksum.Sum(t, header, sum)));
            if (ack)
            {
                c.LastAckSent = c.RcvNxt;
                c.RcvAdv = c.RcvNxt + (syn ? window : (window >> c.RcvShift) << c.RcvShift);
                c.AckNow = false;
                c.UnackedSegments = 0;
                c.DelayedAckAt = 0;
            }
            Counters.SegmentsOut++;
            FinishIp(c.RemoteIp, TcpProtocol, header + length, true);
            return true;
        }

        /// <summary>sum plus the checksum sum of a segment's data: length bytes from seq, copied to
        /// data (at an even offset of the segment). Pieces in c's summed ranges take their sum from
        /// the source; the rest, and pieces the source no longer holds, are read. A piece at an odd
        /// offset of the data contributes its sum byte-swapped (RFC 1071).</summary>
        private static ulong DataSum(TcpConnection c, uint seq, byte* data, uint length, ulong sum)
        {
            uint at = 0;
            for (int i = 0; i < c.SummedCount && at < length; i++)
            {
                uint start = c.SummedSeq[i], end = start + c.SummedLength[i];
                if (Seq.Le(end, seq + at)) continue;
                if (Seq.Ge(start, seq + length)) break;
                if (Seq.Gt(start, seq + at))
                {
                    uint gap = start - (seq + at);
                    sum += Piece(data, at, gap);
                    at += gap;
                }
                uint n = Wire.Min(end - (seq + at), length - at);
                if (c.SummedSource[i].Sum(c.SummedTag[i], c.SummedOffset[i] + (seq + at - start), n, out ulong known))
                    sum += (at & 1) != 0 ? Checksum.Swap(known) : known;
                else sum += Piece(data, at, n);
                at += n;
            }
            if (at < length) sum += Piece(data, at, length - at);
            return sum;
        }

        /// <summary>The checksum contribution of count bytes at offset at of a segment's data.</summary>
        private static ulong Piece(byte* data, uint at, uint count)
        {
            ulong s = Checksum.Sum(data + at, count);
            return (at & 1) != 0 ? Checksum.Swap(s) : s;
        }

        /// <summary>The RST RFC 9293 sends for a segment no connection takes (never for a RST).</summary>
        private void ResetFor(ref TcpSegment s)
        {
            if (s.Has(TcpSegment.Rst)) return;
            bool ack = s.Has(TcpSegment.Ack);
            SendRaw(s.Source, s.DestinationPort, s.SourcePort, ack ? s.AckNo : 0, ack ? 0 : s.SeqNo + s.SequenceLength,
                    ack ? TcpSegment.Rst : (byte)(TcpSegment.Rst | TcpSegment.Ack));
        }

        private void SendRaw(uint remote, ushort localPort, ushort remotePort, uint seq, uint ackNo, byte flags)
        {
            byte* t = StartIp();
            if (t == null) return;
            Wire.Put16(t, localPort);
            Wire.Put16(t + 2, remotePort);
            Wire.Put32(t + 4, seq);
            Wire.Put32(t + 8, ackNo);
            t[12] = 5 << 4;
            t[13] = flags;
            Wire.Put16(t + 14, 0);
            Wire.Put32(t + 16, 0);
            Wire.Put16(t + 16, Checksum.Fold(Checksum.Sum(t, 20, Checksum.Pseudo(Config.Address, remote, TcpProtocol, 20))));
            Counters.SegmentsOut++;
            if ((flags & TcpSegment.Rst) != 0) Counters.ResetsOut++;
            FinishIp(remote, TcpProtocol, 20, true);
        }
    }
}
