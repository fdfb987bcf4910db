// The stack's memory: one block given at construction and carved once (connection buffers,
// the ARP hold frames, reassembly buffers). Nothing is allocated after start, so the stack's
// footprint is fixed and hostile input cannot grow it.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe class Arena
    {
        private readonly byte* _base;
        private readonly ulong _size;
        private ulong _used;

        public Arena(byte* block, ulong size)
        {
            _base = block;
            _size = size;
        }

        public ulong Used => _used;
        public ulong Size => _size;

        /// <summary>bytes zeroed bytes aligned to 64, or null when the block is exhausted.</summary>
        public byte* Take(ulong bytes)
        {
            ulong at = (_used + 63) & ~63UL;
            if (at + bytes > _size) return null;
            _used = at + bytes;
            Wire.Zero(_base + at, (uint)bytes);
            return _base + at;
        }
    }
}
