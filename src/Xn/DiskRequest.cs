// One transfer between a 4096-byte buffer and a disk block. Tag is XnVolume's own request slot,
// given back at completion. Invariant: Buffer is XN's (a staging copy for writes, the cache
// buffer for reads) and nobody changes it while the request is queued.
namespace ExoSharp.Xn
{
    public struct DiskRequest
    {
        public int Tag;
        public uint Block;
        public bool IsWrite;
        public byte[] Buffer;
    }
}
