// A bound UDP port: its queue of received datagrams, each stored as a record (source address,
// source port, length, then the data) in a ring in the arena. A full queue drops the datagram.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe class UdpSocket
    {
        public const uint RecordHeader = 8;

        public int Index;
        public ushort Port;
        public bool Bound;
        public int Error;
        public ByteRing Queue;
        public int Datagrams;
    }
}
