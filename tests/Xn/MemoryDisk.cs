// An in-memory IBlockDevice for the host tests. Submitted requests wait in a queue until a test
// completes them (in any order: a real disk reorders), fails them, or crashes the disk: Crash
// applies only a chosen prefix of the queued writes and drops everything else, as a power cut
// would. Counts completed writes per block, so tests can tell whether a block was initialised.
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public sealed class MemoryDisk : IBlockDevice
    {
        private readonly byte[][] _blocks;
        private readonly int[] _writes;
        private readonly List<DiskRequest> _queue = new();

        public MemoryDisk(uint blocks, byte fill = 0xDB)
        {
            _blocks = new byte[blocks][];
            _writes = new int[blocks];
            for (int i = 0; i < blocks; i++)
            {
                _blocks[i] = new byte[XnLayout.BlockSize];
                Array.Fill(_blocks[i], fill); // a previous owner's data
            }
        }

        public IDiskCompletion Sink { get; set; }
        public int QueueLimit { get; set; } = 64;
        public uint BlockCount => (uint)_blocks.Length;
        public int Pending => _queue.Count;
        public DiskRequest PendingAt(int i) => _queue[i];

        /// <summary>Completed writes of a block (WriteNow included).</summary>
        public int Writes(uint block) => _writes[block];
        public byte[] Raw(uint block) => _blocks[block];

        public bool Submit(in DiskRequest request)
        {
            if (_queue.Count >= QueueLimit) return false;
            _queue.Add(request);
            return true;
        }

        public bool ReadNow(uint block, byte[] buffer)
        {
            if (block >= _blocks.Length) return false;
            Array.Copy(_blocks[block], buffer, XnLayout.BlockSize);
            return true;
        }

        public bool WriteNow(uint block, byte[] buffer)
        {
            if (block >= _blocks.Length) return false;
            Array.Copy(buffer, _blocks[block], XnLayout.BlockSize);
            _writes[block]++;
            return true;
        }

        /// <summary>Completes the i-th queued request (ok) or fails it (nothing transferred).</summary>
        public void Complete(int i, bool ok = true)
        {
            DiskRequest request = _queue[i];
            _queue.RemoveAt(i);
            if (ok) Transfer(request);
            Sink?.Completed(request.Tag, ok);
        }

        public void CompleteAll()
        {
            while (_queue.Count > 0) Complete(0);
        }

        /// <summary>Power cut: the first `prefix` queued writes reach the disk, nothing else does, and
        /// no completion is reported (the machine is gone).</summary>
        public void Crash(int prefix)
        {
            for (int i = 0; i < _queue.Count && i < prefix; i++)
                if (_queue[i].IsWrite) Transfer(_queue[i]);
            _queue.Clear();
        }

        private void Transfer(DiskRequest request)
        {
            if (request.IsWrite)
            {
                Array.Copy(request.Buffer, _blocks[request.Block], XnLayout.BlockSize);
                _writes[request.Block]++;
            }
            else Array.Copy(_blocks[request.Block], request.Buffer, XnLayout.BlockSize);
        }
    }
}
