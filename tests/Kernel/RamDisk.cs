// A disk in kernel memory for XN's self-test: requests queue until Drain completes them in order,
// reporting to the volume as the virtio-blk driver's interrupt will. It copies through the page
// pointers XN gives (a driver would DMA to the frames). Missing: it is not a device; the real
// driver (virtio-blk) replaces it.
using ExoSharp.Xn;

namespace ExoSharp.Tests.Kernel
{
    internal sealed unsafe class RamDisk : IBlockDevice
    {
        private readonly byte[][] _blocks;
        private readonly DiskRequest[] _queue = new DiskRequest[XnVolume.QueueDepth];
        private int _count;

        public RamDisk(uint blocks)
        {
            _blocks = new byte[blocks][];
            for (int i = 0; i < blocks; i++) _blocks[i] = new byte[XnLayout.BlockSize];
        }

        public IDiskCompletion Sink;
        public uint BlockCount => (uint)_blocks.Length;

        public bool Submit(in DiskRequest request)
        {
            if (_count == _queue.Length) return false;
            _queue[_count++] = request;
            return true;
        }

        public bool ReadNow(uint block, byte* page, ulong frame)
        {
            if (block >= _blocks.Length) return false;
            ToPage(_blocks[block], page);
            return true;
        }

        public bool WriteNow(uint block, byte* page, ulong frame)
        {
            if (block >= _blocks.Length) return false;
            FromPage(page, _blocks[block]);
            return true;
        }

        /// <summary>Completes every queued request, oldest first.</summary>
        public void Drain()
        {
            for (int i = 0; i < _count; i++)
            {
                DiskRequest request = _queue[i];
                if (request.IsWrite) FromPage(request.Buffer, _blocks[request.Block]);
                else ToPage(_blocks[request.Block], request.Buffer);
            }
            int n = _count;
            _count = 0;
            for (int i = 0; i < n; i++) Sink.Completed(_queue[i].Tag, true);
        }

        private static void ToPage(byte[] from, byte* page)
        {
            for (int i = 0; i < XnLayout.BlockSize; i++) page[i] = from[i];
        }

        private static void FromPage(byte* page, byte[] to)
        {
            for (int i = 0; i < XnLayout.BlockSize; i++) to[i] = page[i];
        }
    }
}
