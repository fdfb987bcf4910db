// An in-memory IBlockDevice for the host tests. Submitted requests wait in a queue until a test
// completes them (in any order: a real disk reorders), fails them, or crashes the disk: Crash
// applies only a chosen prefix of the queued writes and drops everything else, as a power cut
// would. Counts completed writes per block, so tests can tell whether a block was initialised.
// Checks every buffer XN hands it is page-aligned and named by its frame (address / 4096, as
// HostPages gives them), as a DMA engine would need.
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public sealed unsafe class MemoryDisk : IBlockDevice
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
            CheckPage(request.Buffer, request.Frame);
            if (_queue.Count >= QueueLimit) return false;
            _queue.Add(request);
            return true;
        }

        public bool ReadNow(uint block, byte* page, ulong frame)
        {
            CheckPage(page, frame);
            if (block >= _blocks.Length) return false;
            _blocks[block].CopyTo(new Span<byte>(page, XnLayout.BlockSize));
            return true;
        }

        public bool WriteNow(uint block, byte* page, ulong frame)
        {
            CheckPage(page, frame);
            return Write(block, new ReadOnlySpan<byte>(page, XnLayout.BlockSize));
        }

        /// <summary>Writes a block behind XN's back (negative controls).</summary>
        public bool Write(uint block, ReadOnlySpan<byte> bytes)
        {
            if (block >= _blocks.Length) return false;
            bytes.CopyTo(_blocks[block]);
            _writes[block]++;
            return true;
        }

        private static void CheckPage(byte* page, ulong frame)
        {
            if (page == null || (ulong)page % XnLayout.BlockSize != 0 || (ulong)page / XnLayout.BlockSize != frame)
                throw new InvalidOperationException("XN handed the disk a buffer that is not a page named by its frame");
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
            var page = new Span<byte>(request.Buffer, XnLayout.BlockSize);
            if (request.IsWrite)
            {
                page.CopyTo(_blocks[request.Block]);
                _writes[request.Block]++;
            }
            else _blocks[request.Block].CopyTo(page);
        }
    }
}
