// UDP (RFC 768) on the stack: bound ports with datagram queues, checksums checked (zero
// means none) and always sent, ICMP port unreachable for ports nobody bound. Handles are
// the socket's index.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        private UdpSocket[] _udp;

        private void UdpInit()
        {
            _udp = new UdpSocket[Config.UdpSockets];
            for (int i = 0; i < _udp.Length; i++)
                _udp[i] = new UdpSocket { Index = i, Queue = new ByteRing(_arena.Take(Config.UdpQueue), Config.UdpQueue) };
        }

        /// <summary>Binds a UDP port (0: an ephemeral one); the socket's handle or an error.</summary>
        public int UdpBind(ushort port)
        {
            if (port == 0)
            {
                for (uint tries = 0; tries < 1000 && port == 0; tries++)
                {
                    ushort p = (ushort)(Config.EphemeralLow + (SipHash.Hash(Config.Key0, Config.Key1, 17, tries, (uint)_now, 0) % (uint)(Config.EphemeralHigh - Config.EphemeralLow + 1)));
                    if (FindUdp(p) == null) port = p;
                }
                if (port == 0) return NetError.InUse;
            }
            if (FindUdp(port) != null) return NetError.InUse;
            foreach (UdpSocket s in _udp)
            {
                if (s.Bound) continue;
                s.Bound = true;
                s.Port = port;
                s.Error = 0;
                s.Queue.Clear();
                s.Datagrams = 0;
                return s.Index;
            }
            return NetError.NoResources;
        }

        public void UdpClose(int handle)
        {
            if (handle >= 0 && handle < _udp.Length) _udp[handle].Bound = false;
        }

        public ushort UdpPort(int handle) => handle >= 0 && handle < _udp.Length ? _udp[handle].Port : (ushort)0;

        /// <summary>Whether a datagram is queued on handle.</summary>
        public bool UdpReadable(int handle) => handle >= 0 && handle < _udp.Length && _udp[handle].Datagrams > 0;

        /// <summary>Takes the oldest datagram: its length (data beyond capacity is dropped), or WouldBlock.</summary>
        public int UdpReceive(int handle, byte* buffer, uint capacity, out uint source, out ushort sourcePort)
        {
            source = 0;
            sourcePort = 0;
            if (handle < 0 || handle >= _udp.Length || !_udp[handle].Bound) return NetError.Invalid;
            UdpSocket s = _udp[handle];
            if (s.Datagrams == 0) return NetError.WouldBlock;
            byte* head = stackalloc byte[8];
            s.Queue.ReadAt(0, head, 8);
            source = Wire.Get32(head);
            sourcePort = Wire.Get16(head + 4);
            uint length = Wire.Get16(head + 6);
            s.Queue.ReadAt(8, buffer, Wire.Min(length, capacity));
            s.Queue.Drop(8 + length);
            s.Datagrams--;
            return (int)Wire.Min(length, capacity);
        }

        /// <summary>Sends one datagram from handle's port; 0 or an error (WouldBlock while the link
        /// is busy; a datagram waiting for ARP counts as sent).</summary>
        public int UdpSend(int handle, uint destination, ushort port, byte* data, uint length)
        {
            if (handle < 0 || handle >= _udp.Length || !_udp[handle].Bound || port == 0) return NetError.Invalid;
            if (length > Config.Mtu - 28u) return NetError.TooBig;
            return UdpSendFrom(_udp[handle].Port, destination, port, data, length) ? 0 : NetError.WouldBlock;
        }

        private bool UdpSendFrom(ushort sourcePort, uint destination, ushort port, byte* data, uint length)
        {
            byte* u = StartIp();
            if (u == null) return false;
            Wire.Put16(u, sourcePort);
            Wire.Put16(u + 2, port);
            Wire.Put16(u + 4, 8 + length);
            Wire.Put16(u + 6, 0);
            if (data != u + 8) Wire.Copy(u + 8, data, length);
            ushort sum = Checksum.Fold(Checksum.Sum(u, 8 + length, Checksum.Pseudo(Config.Address, destination, UdpProtocol, 8 + length)));
            Wire.Put16(u + 6, sum == 0 ? 0xFFFFu : sum);
            Counters.UdpOut++;
            FinishIp(destination, UdpProtocol, 8 + length, false);
            return true;
        }

        private UdpSocket FindUdp(ushort port)
        {
            foreach (UdpSocket s in _udp) if (s.Bound && s.Port == port) return s;
            return null;
        }

        private void UdpInput(uint source, uint destination, byte* u, uint length, bool broadcast, byte* ip)
        {
            if (length < 8) { Counters.UdpBad++; return; }
            uint declared = Wire.Get16(u + 4);
            if (declared < 8 || declared > length) { Counters.UdpBad++; return; }
            if (Wire.Get16(u + 6) != 0 &&
                Checksum.Fold(Checksum.Sum(u, declared, Checksum.Pseudo(source, destination, UdpProtocol, declared))) != 0)
            {
                Counters.UdpBadChecksum++;
                return;
            }
            Counters.UdpIn++;
            ushort port = Wire.Get16(u + 2);
            if (port == DhcpClientPort && DhcpInput(u + 8, declared - 8)) return;
            UdpSocket s = FindUdp(port);
            if (s == null)
            {
                Counters.UdpNoPort++;
                if (!broadcast && (Wire.Get16(ip + 6) & 0x1FFF) == 0) IcmpError(ip, 3, 3);
                return;
            }
            uint data = declared - 8;
            if (s.Queue.Free < 8 + data) { Counters.UdpQueueFull++; return; }
            byte* head = stackalloc byte[8];
            Wire.Put32(head, source);
            Wire.Put16(head + 4, Wire.Get16(u));
            Wire.Put16(head + 6, data);
            s.Queue.Append(head, 8);
            s.Queue.Append(u + 8, data);
            s.Datagrams++;
        }

        private void UdpUnreachable(ushort sourcePort)
        {
            UdpSocket s = FindUdp(sourcePort);
            if (s != null) s.Error = NetError.Unreachable;
        }
    }
}
