// A disk in kernel memory for XN's self-test: requests queue until Drain completes them in order,
// reporting to the volume as the virtio-blk driver's interrupt will. Missing: it is not a device;
// the real driver (virtio-blk) replaces it.
using ExoSharp.Xn;

namespace ExoSharp.Kernel.Xn
{
    internal sealed class RamDisk : IBlockDevice
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

        public bool ReadNow(uint block, byte[] buffer)
        {
            if (block >= _blocks.Length) return false;
            Copy(_blocks[block], buffer);
            return true;
        }

        public bool WriteNow(uint block, byte[] buffer)
        {
            if (block >= _blocks.Length) return false;
            Copy(buffer, _blocks[block]);
            return true;
        }

        /// <summary>Completes every queued request, oldest first.</summary>
        public void Drain()
        {
            for (int i = 0; i < _count; i++)
            {
                DiskRequest request = _queue[i];
                if (request.IsWrite) Copy(request.Buffer, _blocks[request.Block]);
                else Copy(_blocks[request.Block], request.Buffer);
            }
            int n = _count;
            _count = 0;
            for (int i = 0; i < n; i++) Sink.Completed(_queue[i].Tag, true);
        }

        private static void Copy(byte[] from, byte[] to)
        {
            for (int i = 0; i < XnLayout.BlockSize; i++) to[i] = from[i];
        }
    }
}
