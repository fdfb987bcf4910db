// A DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK, then the address, netmask, router
// and DNS server go into the configuration (and a gratuitous ARP announces the address).
// Retries every 2 s (4 s after 3 tries); renewal is not done (QEMU's user network leases for a day).
// Missing: RENEWING/REBINDING, DHCPNAK handling beyond starting over, DHCPDECLINE.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe partial class NetStack
    {
        public const ushort DhcpClientPort = 68, DhcpServerPort = 67;
        private const byte Discover = 1, Offer = 2, Request = 3, AckMessage = 5, Nak = 6;

        private int _dhcpState;             // 0 off, 1 discovering, 2 requesting, 3 bound
        private uint _dhcpXid, _dhcpOffered, _dhcpServer;
        private long _dhcpNextSend;
        private int _dhcpTries;

        /// <summary>The DNS server DHCP gave (0 if none).</summary>
        public uint DnsServer;

        public bool DhcpBound => _dhcpState == 3;

        /// <summary>Starts the DHCP client; Config.Address is 0 until it is bound.</summary>
        public void DhcpStart()
        {
            Config.Address = 0;
            _dhcpState = 1;
            _dhcpXid = (uint)SipHash.Hash(Config.Key0, Config.Key1, 0xD4C9, (uint)_now, 0, 0);
            _dhcpTries = 0;
            _dhcpNextSend = _now;
            DhcpTick();
        }

        private void DhcpTick()
        {
            if ((_dhcpState != 1 && _dhcpState != 2) || _now < _dhcpNextSend) return;
            _dhcpTries++;
            _dhcpNextSend = _now + (_dhcpTries > 3 ? 4000 : 2000);
            if (_dhcpTries > 6 && _dhcpState == 2) { _dhcpState = 1; _dhcpTries = 0; }
            DhcpSend(_dhcpState == 1 ? Discover : Request);
        }

        private void DhcpSend(byte type)
        {
            byte* u = StartIp();
            if (u == null) return;
            byte* d = u + 8;
            Wire.Zero(d, 300);
            d[0] = 1;                       // BOOTREQUEST
            d[1] = 1;
            d[2] = 6;
            Wire.Put32(d + 4, _dhcpXid);
            Wire.Put16(d + 10, 0x8000);     // broadcast replies: we have no address yet
            Wire.PutMac(d + 28, Config.Mac);
            Wire.Put32(d + 236, 0x63825363);
            byte* o = d + 240;
            *o++ = 53; *o++ = 1; *o++ = type;
            if (type == Request)
            {
                *o++ = 50; *o++ = 4; Wire.Put32(o, _dhcpOffered); o += 4;
                *o++ = 54; *o++ = 4; Wire.Put32(o, _dhcpServer); o += 4;
            }
            *o++ = 55; *o++ = 3; *o++ = 1; *o++ = 3; *o++ = 6;
            *o++ = 255;
            uint length = 300;
            Wire.Put16(u, DhcpClientPort);
            Wire.Put16(u + 2, DhcpServerPort);
            Wire.Put16(u + 4, 8 + length);
            Wire.Put16(u + 6, 0);
            Wire.Put16(u + 6, Checksum.Fold(Checksum.Sum(u, 8 + length, Checksum.Pseudo(0, 0xFFFF_FFFF, UdpProtocol, 8 + length))));
            Counters.UdpOut++;
            FinishIp(0xFFFF_FFFF, UdpProtocol, 8 + length, false);
        }

        /// <summary>A datagram to port 68: true if the client took it.</summary>
        private bool DhcpInput(byte* d, uint length)
        {
            if (_dhcpState != 1 && _dhcpState != 2) return false;
            if (length < 240 || d[0] != 2 || Wire.Get32(d + 4) != _dhcpXid || Wire.Get32(d + 236) != 0x63825363) return true;
            uint yiaddr = Wire.Get32(d + 16), server = 0, mask = 0, router = 0, dns = 0;
            byte type = 0;
            for (uint i = 240; i < length;)
            {
                byte code = d[i];
                if (code == 255) break;
                if (code == 0) { i++; continue; }
                if (i + 1 >= length || i + 2 + d[i + 1] > length) return true;     // an option past the end: malformed, ignored
                uint size = d[i + 1];
                byte* v = d + i + 2;
                if (code == 53 && size == 1) type = v[0];
                else if (code == 54 && size == 4) server = Wire.Get32(v);
                else if (code == 1 && size == 4) mask = Wire.Get32(v);
                else if (code == 3 && size >= 4) router = Wire.Get32(v);
                else if (code == 6 && size >= 4) dns = Wire.Get32(v);
                i += 2 + size;
            }
            if (_dhcpState == 1 && type == Offer && yiaddr != 0)
            {
                _dhcpOffered = yiaddr;
                _dhcpServer = server;
                _dhcpState = 2;
                _dhcpTries = 0;
                _dhcpNextSend = _now;
                DhcpTick();
            }
            else if (_dhcpState == 2 && type == AckMessage && yiaddr == _dhcpOffered)
            {
                Config.Address = yiaddr;
                if (mask != 0) Config.Netmask = mask;
                Config.Gateway = router;
                DnsServer = dns;
                _dhcpState = 3;
                Announce();
            }
            else if (_dhcpState == 2 && type == Nak)
            {
                _dhcpState = 1;
                _dhcpTries = 0;
                _dhcpNextSend = _now;
            }
            return true;
        }
    }
}
