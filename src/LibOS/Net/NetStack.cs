// One network stack over one card: Ethernet II, ARP, IPv4 (no forwarding, no options sent),
// ICMP, UDP and TCP (the other NetStack.*.cs parts). Frames are parsed where they lie (the
// receive ring's slot) and built in place in the link's transmit slot. All memory comes from
// the arena at construction; the clock is the program's (milliseconds, passed to Input and
// Tick). Single-threaded: one caller at a time (docs/network.md: the locking rule).
// Missing: IPv4 fragmentation on output (datagrams over the MTU are refused), IP options.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        public const ushort TypeIpv4 = 0x0800, TypeArp = 0x0806;
        public const byte Icmp = 1, TcpProtocol = 6, UdpProtocol = 17;
        public const ulong Broadcast = 0xFFFF_FFFF_FFFF;

        public readonly NetConfig Config;
        public readonly NetCounters Counters = new NetCounters();
        private readonly IFrameLink _link;
        private readonly Arena _arena;
        private readonly ArpCache _arp;
        private readonly Reassembly _reassembly;
        private long _now, _lastTick;
        private ushort _ipId;
        private byte* _tx;
        private long _icmpTokens, _icmpRefill;

        /// <summary>A stack for the card config.Mac; memory: the arena (see MemoryNeeded).</summary>
        public NetStack(NetConfig config, IFrameLink link, byte* memory, ulong size, long now)
        {
            Config = config;
            _link = link;
            _arena = new Arena(memory, size);
            _now = now;
            _arp = new ArpCache(config.ArpEntries, config.ArpLifetime, _arena);
            _reassembly = new Reassembly(config.ReassemblySlots, config.ReassemblyMax, config.ReassemblyTimeout, _arena, Counters);
            _ipId = (ushort)SipHash.Hash(config.Key0, config.Key1, 1, 2, 3, 4);
            TcpInit();
            UdpInit();
        }

        /// <summary>Bytes of arena a configuration needs.</summary>
        public static ulong MemoryNeeded(NetConfig c) =>
            (ulong)c.ArpEntries * 1600 + (ulong)c.ReassemblySlots * (c.ReassemblyMax + c.ReassemblyMax / 64 + 256) +
            (ulong)c.TcpConnections * (c.TcpSendBuffer + c.TcpReceiveBuffer + 128) + (ulong)c.UdpSockets * (c.UdpQueue + 64) + 4096;

        public ulong MemoryUsed => _arena.Used;
        public long Now => _now;
        public uint Address => Config.Address;

        /// <summary>One received frame (it may be reused once this returns).</summary>
        public void Input(byte* frame, uint length, long now)
        {
            _now = now;
            Counters.FramesIn++;
            if (length < 14) { Counters.DropShort++; return; }
            ulong destination = Wire.GetMac(frame);
            if (destination != Config.Mac && destination != Broadcast) { Counters.DropNotForUs++; return; }
            ushort type = Wire.Get16(frame + 12);
            if (type == TypeArp) ArpInput(frame, length);
            else if (type == TypeIpv4) IpInput(frame, length);
            else Counters.DropUnknownType++;
        }

        // Batches (BeginBatch .. EndBatch around frames that arrived together): the ACK that
        // in-order data owes every second segment is sent once for the batch, as a receiver
        // with GRO does; out-of-order data, holes filled and everything else still answer at once.
        // With Config.MergeAcks (knowledge-based packet merging) those ACKs, and the ACK of a
        // SYN-ACK, wait further, for the program's next poll (FlushAcks: BeginBatch, and
        // NetInterface.Wait before it blocks): the program runs in between, and what it sends
        // then (a response, a request) carries the ACK, so no pure ACK goes out for it.
        private bool _batching;
        private TcpConnection[] _deferredAcks = new TcpConnection[16];
        private int _deferredCount;

        /// <summary>The frames Input gets until EndBatch arrived together (first, the ACKs the
        /// previous batch left to the program are sent: FlushAcks).</summary>
        public void BeginBatch()
        {
            if (_deferredCount > 0) FlushAcks();
            _batching = true;
        }

        /// <summary>Sends the ACKs the batch deferred, or with Config.MergeAcks leaves them for
        /// FlushAcks.</summary>
        public void EndBatch()
        {
            _batching = false;
            if (!Config.MergeAcks) FlushAcks();
        }

        /// <summary>Sends the deferred ACKs that no segment sent since has carried.</summary>
        public void FlushAcks()
        {
            for (int i = 0; i < _deferredCount; i++)
            {
                TcpConnection c = _deferredAcks[i];
                _deferredAcks[i] = null;
                c.AckDeferred = false;
                if (c.LastAckSent == c.RcvNxt || c.State < TcpState.Established) continue;
                c.AckNow = true;
                TcpOutput(c);
            }
            _deferredCount = 0;
        }

        /// <summary>Whether c's ACK waits for EndBatch (false: send it now).</summary>
        private bool DeferAck(TcpConnection c)
        {
            if (!_batching) return false;
            if (c.AckDeferred) return true;
            if (_deferredCount == _deferredAcks.Length) return false;
            c.AckDeferred = true;
            _deferredAcks[_deferredCount++] = c;
            return true;
        }

        /// <summary>Runs the timers; call at least every few tens of milliseconds. Timers count
        /// whole milliseconds, so the scan over the control blocks runs at most once for each
        /// millisecond however often a busy program calls.</summary>
        public void Tick(long now)
        {
            _now = now;
            if (now == _lastTick) return;
            _lastTick = now;
            _reassembly.Expire(now);
            TcpTimers();
            DhcpTick();
        }

        /// <summary>When Tick next has work (a time at most 1 s ahead).</summary>
        public long NextTimer() => TcpNextTimer(_now + 1000);

        // ARP

        /// <summary>Announces Config.Address (a gratuitous ARP request, RFC 5227 section 3).</summary>
        public void Announce()
        {
            if (Config.Address != 0) ArpSend(1, Broadcast, Config.Address, 0);
        }

        private void ArpInput(byte* f, uint length)
        {
            if (length < 42 || Wire.Get16(f + 14) != 1 || Wire.Get16(f + 16) != TypeIpv4 || f[18] != 6 || f[19] != 4)
            {
                Counters.ArpBad++;
                return;
            }
            ushort op = Wire.Get16(f + 20);
            ulong senderMac = Wire.GetMac(f + 22);
            uint senderIp = Wire.Get32(f + 28), targetIp = Wire.Get32(f + 38);
            if ((op != 1 && op != 2) || (senderMac & 1) != 0 || senderIp == 0 || senderIp == 0xFFFF_FFFF ||
                (senderIp == Config.Address && Config.Address != 0))
            {
                Counters.ArpBad++;
                return;
            }
            if (op == 1) Counters.ArpRequestsIn++;
            else Counters.ArpRepliesIn++;
            bool forUs = targetIp == Config.Address && Config.Address != 0;
            int row = _arp.Update(senderIp, senderMac, _now, forUs);
            if (row >= 0) SendHeld(row);
            if (forUs && op == 1) ArpSend(2, senderMac, senderIp, senderMac);
        }

        private void ArpSend(ushort op, ulong to, uint targetIp, ulong targetMac)
        {
            byte* f = _link.Reserve();
            if (f == null) { Counters.TransmitBusy++; _timerDue = 0; return; }
            Wire.PutMac(f, to);
            Wire.PutMac(f + 6, Config.Mac);
            Wire.Put16(f + 12, TypeArp);
            Wire.Put16(f + 14, 1);
            Wire.Put16(f + 16, TypeIpv4);
            f[18] = 6;
            f[19] = 4;
            Wire.Put16(f + 20, op);
            Wire.PutMac(f + 22, Config.Mac);
            Wire.Put32(f + 28, Config.Address);
            Wire.PutMac(f + 32, targetMac);
            Wire.Put32(f + 38, targetIp);
            Wire.Zero(f + 42, 18);
            if (op == 1) Counters.ArpRequestsOut++;
            else Counters.ArpRepliesOut++;
            Transmit(f, 60);
        }

        private void SendHeld(int row)
        {
            ref ArpEntry e = ref _arp.Row(row);
            if (e.HeldLength == 0) return;
            byte* f = _link.Reserve();
            if (f == null) return;
            Wire.Copy(f, e.Held, e.HeldLength);
            Wire.PutMac(f, e.Mac);
            Counters.ArpHeldSent++;
            uint n = e.HeldLength;
            e.HeldLength = 0;
            Transmit(f, n);
        }

        private void Transmit(byte* f, uint length)
        {
            if (length < 60)
            {
                Wire.Zero(f + length, 60 - length);
                length = 60;
            }
            if (_link.Send(length)) Counters.FramesOut++;
            else Counters.TransmitRefused++;
        }

        // IPv4

        private void IpInput(byte* f, uint length)
        {
            byte* ip = f + 14;
            if (length < 34 || (ip[0] >> 4) != 4) { Counters.IpBadHeader++; return; }
            uint header = (uint)(ip[0] & 15) * 4, total = Wire.Get16(ip + 2);
            if (header < 20 || total < header || 14 + total > length) { Counters.IpBadHeader++; return; }
            if (Checksum.Fold(Checksum.Sum(ip, header)) != 0) { Counters.IpBadChecksum++; return; }
            uint source = Wire.Get32(ip + 12), destination = Wire.Get32(ip + 16);
            bool broadcast = destination == 0xFFFF_FFFF || (Config.Address != 0 && destination == (Config.Address | ~Config.Netmask));
            bool dhcp = Config.Address == 0 && _dhcpState != 0 && ip[9] == UdpProtocol;
            if (destination != Config.Address && !broadcast && !dhcp) { Counters.IpNotForUs++; return; }
            if (source == 0xFFFF_FFFF || (source >> 28) == 14 || (source == Config.Address && source != 0)) { Counters.IpBadHeader++; return; }
            Counters.IpIn++;
            byte protocol = ip[9];
            byte* payload = ip + header;
            uint size = total - header;
            ushort fragment = Wire.Get16(ip + 6);
            if ((fragment & 0x3FFF) != 0)
            {
                if (!_reassembly.Add(source, destination, protocol, Wire.Get16(ip + 4), (uint)(fragment & 0x1FFF) * 8,
                                     (fragment & 0x2000) != 0, payload, size, _now, out payload, out size)) return;
            }
            if (protocol == TcpProtocol && !broadcast) TcpInput(source, destination, payload, size);
            else if (protocol == UdpProtocol) UdpInput(source, destination, payload, size, broadcast, ip);
            else if (protocol == Icmp) IcmpInput(source, payload, size, broadcast);
            else
            {
                Counters.IpBadProtocol++;
                if (!broadcast) IcmpError(ip, 3, 2);
            }
        }

        /// <summary>Reserves the next frame and returns where the IPv4 payload goes (null if the
        /// link is busy); FinishIp sends it.</summary>
        private byte* StartIp()
        {
            _tx = _link.Reserve();
            if (_tx == null) { Counters.TransmitBusy++; _timerDue = 0; return null; }
            return _tx + 34;
        }

        /// <summary>Completes the frame StartIp reserved and sends it (or holds it for ARP).</summary>
        private bool FinishIp(uint destination, byte protocol, uint payloadLength, bool dontFragment)
        {
            byte* f = _tx, ip = f + 14;
            ip[0] = 0x45;
            ip[1] = 0;
            Wire.Put16(ip + 2, 20 + payloadLength);
            Wire.Put16(ip + 4, _ipId++);
            Wire.Put16(ip + 6, dontFragment ? 0x4000u : 0);
            ip[8] = 64;
            ip[9] = protocol;
            ip[10] = ip[11] = 0;
            Wire.Put32(ip + 12, Config.Address);
            Wire.Put32(ip + 16, destination);
            Wire.Put16(ip + 10, Checksum.Fold(Checksum.Sum(ip, 20)));
            Wire.PutMac(f + 6, Config.Mac);
            Wire.Put16(f + 12, TypeIpv4);
            uint length = 34 + payloadLength;
            Counters.IpOut++;
            if (destination == 0xFFFF_FFFF || (Config.Address != 0 && destination == (Config.Address | ~Config.Netmask)))
            {
                Wire.PutMac(f, Broadcast);
                Transmit(f, length);
                return true;
            }
            uint hop = (destination & Config.Netmask) == (Config.Address & Config.Netmask) || Config.Gateway == 0 ? destination : Config.Gateway;
            if (_arp.Lookup(hop, _now, out ulong mac))
            {
                Wire.PutMac(f, mac);
                Transmit(f, length);
                return true;
            }
            int row = _arp.Pending(hop, _now);
            ref ArpEntry e = ref _arp.Row(row);
            if (e.HeldLength != 0) Counters.ArpHeldDropped++;
            Wire.Copy(e.Held, f, length);
            e.HeldLength = length < 60 ? 60 : length;
            if (length < 60) Wire.Zero(e.Held + length, 60 - length);
            if (_now - e.LastRequest >= Config.ArpRetry)
            {
                e.LastRequest = _now;
                ArpSend(1, Broadcast, hop, 0);      // reuses the reserved slot: the frame is held
            }
            return false;
        }

        // ICMP

        private void IcmpInput(uint source, byte* icmp, uint length, bool broadcast)
        {
            Counters.IcmpIn++;
            if (length < 8 || Checksum.Fold(Checksum.Sum(icmp, length)) != 0) { Counters.IcmpBad++; return; }
            byte type = icmp[0];
            if (type == 8 && !broadcast)
            {
                if (length > Config.Mtu - 20u) return;
                byte* reply = StartIp();
                if (reply == null) return;
                Wire.Copy(reply, icmp, length);
                reply[0] = 0;
                reply[2] = reply[3] = 0;
                Wire.Put16(reply + 2, Checksum.Fold(Checksum.Sum(reply, length)));
                Counters.IcmpEchoReplies++;
                FinishIp(source, Icmp, length, false);
            }
            else if (type == 3 && length >= 8 + 20 + 8)
            {
                Counters.IcmpUnreachableIn++;
                byte* inner = icmp + 8;
                uint header = (uint)(inner[0] & 15) * 4;
                if ((inner[0] >> 4) != 4 || header < 20 || length < 8 + header + 8 || Wire.Get32(inner + 12) != Config.Address) { Counters.IcmpBad++; return; }
                if (inner[9] == TcpProtocol)
                    TcpUnreachable(Wire.Get32(inner + 16), Wire.Get16(inner + header), Wire.Get16(inner + header + 2),
                                   Wire.Get32(inner + header + 4), icmp[1], Wire.Get16(icmp + 6));
                else if (inner[9] == UdpProtocol) UdpUnreachable(Wire.Get16(inner + header));
            }
        }

        /// <summary>Sends an ICMP error (type, code) about the datagram whose IP header is at ip;
        /// at most ten a second (RFC 1812 4.3.2.8's rate limit).</summary>
        private void IcmpError(byte* ip, byte type, byte code)
        {
            if (_now - _icmpRefill >= 100) { _icmpRefill = _now; _icmpTokens = 1; }
            if (_icmpTokens <= 0) return;
            _icmpTokens--;
            uint header = (uint)(ip[0] & 15) * 4, total = Wire.Get16(ip + 2);
            uint quoted = Wire.Min(total, header + 8);
            byte* m = StartIp();
            if (m == null) return;
            m[0] = type;
            m[1] = code;
            m[2] = m[3] = 0;
            Wire.Put32(m + 4, 0);
            Wire.Copy(m + 8, ip, quoted);
            Wire.Put16(m + 2, Checksum.Fold(Checksum.Sum(m, 8 + quoted)));
            Counters.IcmpUnreachableOut++;
            FinishIp(Wire.Get32(ip + 12), Icmp, 8 + quoted, false);
        }

        /// <summary>Sends an ICMP echo request (ping) to destination; false if it could not go.</summary>
        public bool Ping(uint destination, ushort id, ushort sequence, uint dataLength)
        {
            if (dataLength > Config.Mtu - 28u) return false;
            byte* m = StartIp();
            if (m == null) return false;
            m[0] = 8;
            m[1] = 0;
            Wire.Put16(m + 2, 0);
            Wire.Put16(m + 4, id);
            Wire.Put16(m + 6, sequence);
            for (uint i = 0; i < dataLength; i++) m[8 + i] = (byte)i;
            Wire.Put16(m + 2, Checksum.Fold(Checksum.Sum(m, 8 + dataLength)));
            return FinishIp(destination, Icmp, 8 + dataLength, false);
        }
    }
}
