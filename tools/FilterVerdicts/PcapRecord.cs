// Host only: one packet from a capture file: the captured bytes and the length on the wire
// (larger when the capture was cut at a snapshot length).
namespace ExoSharp.Tools.FilterVerdicts
{
    public sealed class PcapRecord
    {
        public PcapRecord(byte[] data, uint wireLength)
        {
            Data = data;
            WireLength = wireLength;
        }

        public byte[] Data { get; }
        public uint WireLength { get; }
    }
}
