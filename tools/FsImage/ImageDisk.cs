// The host's IBlockDevice: a disk image file (sparse: unwritten blocks read as zeros) or, with no
// file, memory (blocks allocated when first written). Requests wait in a queue until Pump, as a real
// disk's completions come later; Crash drops them (a power cut: none of them reached the disk).
using ExoSharp.Xn;

namespace ExoSharp.Tools.FsImage
{
    public sealed unsafe class ImageDisk : IBlockDevice, IDisposable
    {
        private readonly FileStream _file;
        private readonly Dictionary<uint, byte[]> _memory;
        private readonly Queue<DiskRequest> _queue = new();

        public IDiskCompletion Sink { get; set; }
        public uint BlockCount { get; }
        public long Reads { get; private set; }
        public long Writes { get; private set; }

        /// <summary>An image file of blocks blocks (made, sparse, when create; else its own size).</summary>
        public ImageDisk(string path, uint blocks, bool create)
        {
            _file = new FileStream(path, create ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite);
            if (create) _file.SetLength((long)blocks * XnLayout.BlockSize);
            BlockCount = (uint)(_file.Length / XnLayout.BlockSize);
        }

        /// <summary>A disk in memory.</summary>
        public ImageDisk(uint blocks)
        {
            _memory = new Dictionary<uint, byte[]>();
            BlockCount = blocks;
        }

        public int Pending => _queue.Count;

        public bool Submit(in DiskRequest request)
        {
            if (_queue.Count >= 64) return false;
            _queue.Enqueue(request);
            return true;
        }

        public bool ReadNow(uint block, byte* page, ulong frame) => Transfer(block, page, false);
        public bool WriteNow(uint block, byte* page, ulong frame) => Transfer(block, page, true);

        /// <summary>Completes every queued request (and those the completions queue).</summary>
        public void Pump()
        {
            while (_queue.Count > 0)
            {
                DiskRequest r = _queue.Dequeue();
                bool ok = Transfer(r.Block, r.Buffer, r.IsWrite);
                Sink?.Completed(r.Tag, ok);
            }
        }

        /// <summary>Power cut: the first prefix queued writes reach the disk, nothing else.</summary>
        public void Crash(int prefix)
        {
            int i = 0;
            foreach (DiskRequest r in _queue)
                if (r.IsWrite && i++ < prefix) Transfer(r.Block, r.Buffer, true);
            _queue.Clear();
        }

        /// <summary>A block's bytes as on the disk (for checks that trust nothing above).</summary>
        public byte[] Raw(uint block)
        {
            var bytes = new byte[XnLayout.BlockSize];
            fixed (byte* p = bytes) Transfer(block, p, false);
            return bytes;
        }

        private bool Transfer(uint block, byte* page, bool write)
        {
            if (block >= BlockCount) return false;
            var span = new Span<byte>(page, XnLayout.BlockSize);
            if (write) Writes++; else Reads++;
            if (_memory != null)
            {
                if (write)
                {
                    if (!_memory.TryGetValue(block, out byte[] b)) _memory[block] = b = new byte[XnLayout.BlockSize];
                    span.CopyTo(b);
                }
                else if (_memory.TryGetValue(block, out byte[] b)) b.CopyTo(span);
                else span.Clear();
                return true;
            }
            _file.Position = (long)block * XnLayout.BlockSize;
            if (write) { _file.Write(span); return true; }
            int n = 0;
            while (n < span.Length)
            {
                int got = _file.Read(span.Slice(n));
                if (got == 0) { span.Slice(n).Clear(); break; }
                n += got;
            }
            return true;
        }

        public void Dispose() => _file?.Dispose();
    }
}
