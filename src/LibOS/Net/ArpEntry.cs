// One row of the ARP cache: an address, its card address once known, when it expires, and
// one frame held while the request is outstanding (sent when the reply comes).
namespace ExoSharp.LibOS.Net
{
    public unsafe struct ArpEntry
    {
        public uint Ip;
        public ulong Mac;
        public bool Resolved;
        public long Expires, LastRequest;
        public byte* Held;
        public uint HeldLength;
    }
}
