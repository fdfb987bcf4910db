// Which filter claimed a packet: its id, its owner and the value its program returned (for a
// libpcap filter, the snapshot length). Matched is false when no filter accepts the packet.
namespace ExoSharp.Executive.Demux;

public struct DemuxResult
{
    public bool Matched;
    public uint FilterId;
    public ulong Owner;
    public uint Value;
}
