// One sample frame for the demultiplexer tests: what it is (as tcpdump would describe it) and
// its bytes, Ethernet header first.
namespace ExoSharp.Apps.Executive
{
    internal sealed class Packet
    {
        public readonly string Description;
        public readonly byte[] Bytes;

        public Packet(string description, byte[] bytes)
        {
            Description = description;
            Bytes = bytes;
        }
    }
}
