// One transfer between a page and a disk block. Tag is XnVolume's own request slot, given back at
// completion. Invariant: Buffer is one of XN's pages (BlockSize bytes, page-aligned; a staging
// page for writes, the cache slot's page for reads), Frame its frame number (a driver DMAs to
// Frame * 4096), and nobody changes it while the request is queued.
namespace ExoSharp.Xn;

public unsafe struct DiskRequest
{
    public int Tag;
    public uint Block;
    public bool IsWrite;
    public byte* Buffer;
    public ulong Frame;
}
