// XN's buffer cache: a fixed number of 4096-byte slots, each holding one block (the registry entry
// names its slot). Which blocks stay in core is the library OS's policy (Fetch, Evict); XN only
// refuses to evict dirty ones. Buffers are allocated on first use and kept. Missing: page-aligned
// frames mapped read-only into environments (the buffer-cache registry window).
namespace ExoSharp.Xn
{
    public sealed class BufferCache
    {
        private readonly byte[][] _buffers;
        private readonly uint[] _blocks;
        private readonly bool[] _reading;
        private readonly int[] _free;
        private int _freeCount;

        public BufferCache(int slots)
        {
            _buffers = new byte[slots][];
            _blocks = new uint[slots];
            _reading = new bool[slots];
            _free = new int[slots];
            for (int i = 0; i < slots; i++) _free[i] = slots - 1 - i;
            _freeCount = slots;
        }

        public int Capacity => _blocks.Length;
        public int FreeSlots => _freeCount;

        /// <summary>A slot for block with all-zero contents, or -1 when the cache is full.</summary>
        public int Take(uint block)
        {
            if (_freeCount == 0) return -1;
            int slot = _free[--_freeCount];
            if (_buffers[slot] == null) _buffers[slot] = new byte[XnLayout.BlockSize];
            else
            {
                byte[] buffer = _buffers[slot];
                for (int i = 0; i < buffer.Length; i++) buffer[i] = 0;
            }
            _blocks[slot] = block;
            _reading[slot] = false;
            return slot;
        }

        /// <summary>Precondition: slot was taken and not released since.</summary>
        public void Release(int slot)
        {
            _blocks[slot] = XnVolume.NoBlock;
            _reading[slot] = false;
            _free[_freeCount++] = slot;
        }

        public byte[] Buffer(int slot) => _buffers[slot];
        public uint BlockOf(int slot) => _blocks[slot];
        public bool IsReading(int slot) => _reading[slot];
        public void SetReading(int slot, bool reading) => _reading[slot] = reading;
    }
}
