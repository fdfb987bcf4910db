// XN's IPageSource in the kernel: zeroed frames from the allocator, named through the direct map
// (the page pointer) and by frame number (PhysicalOf / 4096), pinned in the FrameTable so the kernel
// can later map a cache slot read-only into its owner (Mappings.MapPinnedFrame). XN keeps its pages
// for good, so they are never freed. Missing: a cap on how much of the reserve XN may take.
using ExoSharp.Kernel.Core;
using ExoSharp.Xn;

namespace ExoSharp.Kernel.Xn;

internal sealed unsafe class FramePages : IPageSource
{
    public byte* Take(out ulong frame)
    {
        frame = 0;
        byte* page = (byte*)Memory.AllocateZeroedFrame();
        if (page == null) return null;
        frame = Memory.PhysicalOf(page) / FrameAllocator.FrameSize;
        FrameTable.Pin(frame);
        return page;
    }
}
