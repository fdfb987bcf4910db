// XN's disk (IBlockDevice) on the virtio-blk driver: the device transfers straight to and from
// XN's pages (cache slots for reads, staging pages for writes: frames of the direct map), and
// completions come from the disk's interrupt through VirtioBlock.OnComplete. Interrupts off;
// nothing here allocates after construction.
using ExoSharp.Kernel.Core;
using ExoSharp.Xn;

namespace ExoSharp.Kernel.Devices;

internal sealed unsafe class VirtioDisk : IBlockDevice
{
    private readonly byte* _scratch;

    /// <summary>Where completions go (the mounted volume).</summary>
    public IDiskCompletion Sink;

    public VirtioDisk() => _scratch = (byte*)Memory.AllocateZeroedFrame();

    public uint BlockCount => VirtioBlock.Blocks > uint.MaxValue ? uint.MaxValue : (uint)VirtioBlock.Blocks;

    public bool Submit(in DiskRequest request) =>
        VirtioBlock.Submit(request.IsWrite, request.Block, request.Frame * FrameAllocator.FrameSize, (ulong)request.Tag);

    /// <summary>From the disk's interrupt: tells XN.</summary>
    public void Complete(int tag, bool ok) => Sink.Completed(tag, ok);

    public bool ReadNow(uint block, byte* page, ulong frame) => VirtioBlock.Transfer(false, block, frame * FrameAllocator.FrameSize);

    public bool WriteNow(uint block, byte* page, ulong frame) => VirtioBlock.Transfer(true, block, frame * FrameAllocator.FrameSize);

    /// <summary>Whether block 0 is all zeros (a disk nobody formatted).</summary>
    public bool IsBlank()
    {
        if (!VirtioBlock.Transfer(false, 0, Memory.PhysicalOf(_scratch))) return false;
        for (int i = 0; i < 4096; i++)
            if (_scratch[i] != 0) return false;
        return true;
    }
}
