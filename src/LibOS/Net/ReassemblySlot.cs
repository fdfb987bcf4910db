// One IPv4 datagram being reassembled: its key (source, destination, protocol, id), a buffer
// for the payload, a bitmap of the 8-byte units received, and when it is given up.
namespace ExoSharp.LibOS.Net
{
    public unsafe struct ReassemblySlot
    {
        public bool Used;
        public uint Source, Destination;
        public ushort Id;
        public byte Protocol;
        public uint Total;          // payload length once the last fragment came; 0 before
        public uint Received;       // payload bytes received
        public long Expires;
        public byte* Data;
        public ulong* Units;        // one bit per 8 bytes of payload
    }
}
