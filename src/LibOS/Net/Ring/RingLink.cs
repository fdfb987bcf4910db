// The stack's link in a program: frames are built in place in the transmit ring's slot and
// handed to the kernel (NetTransmit), which checks them against the anti-spoofing rule.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.LibOS.Net.Ring
{
    public sealed unsafe class RingLink : IFrameLink
    {
        private readonly TransmitRing _ring;
        private byte* _reserved;

        public RingLink(TransmitRing ring) => _ring = ring;

        public byte* Reserve()
        {
            if (_reserved == null) _reserved = _ring.Reserve();
            return _reserved;
        }

        public bool Send(uint length)
        {
            _reserved = null;
            return _ring.Send(length) == 0;
        }
    }
}
