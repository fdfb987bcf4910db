// XN's disk (IBlockDevice) on the virtio-blk driver: each of XN's request tags has a bounce page
// the device transfers to or from (XN's buffers are heap arrays, not page frames); completions
// come from the disk's interrupt through VirtioBlock.OnComplete. Interrupts off; nothing here
// allocates after construction.
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.Devices;
using ExoSharp.Xn;

namespace ExoSharp.Kernel.Xn
{
    internal sealed unsafe class VirtioDisk : IBlockDevice
    {
        private readonly byte*[] _bounce = new byte*[XnVolume.QueueDepth];
        private readonly byte[][] _buffers = new byte[XnVolume.QueueDepth][];
        private readonly bool[] _reading = new bool[XnVolume.QueueDepth];
        private readonly byte* _scratch;

        /// <summary>Where completions go (the mounted volume).</summary>
        public IDiskCompletion Sink;

        public VirtioDisk()
        {
            for (int i = 0; i < _bounce.Length; i++) _bounce[i] = (byte*)Memory.AllocateZeroedFrame();
            _scratch = (byte*)Memory.AllocateZeroedFrame();
        }

        public uint BlockCount => VirtioBlock.Blocks > uint.MaxValue ? uint.MaxValue : (uint)VirtioBlock.Blocks;

        public bool Submit(in DiskRequest request)
        {
            int tag = request.Tag;
            if ((uint)tag >= (uint)_bounce.Length) return false;
            byte* page = _bounce[tag];
            if (request.IsWrite)
                fixed (byte* from = request.Buffer) System.Buffer.MemoryCopy(from, page, 4096, 4096);
            _buffers[tag] = request.Buffer;
            _reading[tag] = !request.IsWrite;
            return VirtioBlock.Submit(request.IsWrite, request.Block, Memory.PhysicalOf(page), (ulong)tag);
        }

        /// <summary>From the disk's interrupt: copies a read in, then tells XN.</summary>
        public void Complete(int tag, bool ok)
        {
            if (ok && _reading[tag])
                fixed (byte* to = _buffers[tag]) System.Buffer.MemoryCopy(_bounce[tag], to, 4096, 4096);
            _buffers[tag] = null;
            Sink.Completed(tag, ok);
        }

        public bool ReadNow(uint block, byte[] buffer)
        {
            if (!VirtioBlock.Transfer(false, block, Memory.PhysicalOf(_scratch))) return false;
            fixed (byte* to = buffer) System.Buffer.MemoryCopy(_scratch, to, 4096, 4096);
            return true;
        }

        public bool WriteNow(uint block, byte[] buffer)
        {
            fixed (byte* from = buffer) System.Buffer.MemoryCopy(from, _scratch, 4096, 4096);
            return VirtioBlock.Transfer(true, block, Memory.PhysicalOf(_scratch));
        }

        /// <summary>Whether block 0 is all zeros (a disk nobody formatted).</summary>
        public bool IsBlank()
        {
            if (!VirtioBlock.Transfer(false, 0, Memory.PhysicalOf(_scratch))) return false;
            for (int i = 0; i < 4096; i++)
                if (_scratch[i] != 0) return false;
            return true;
        }
    }
}
