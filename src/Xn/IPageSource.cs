// Where XN's page-sized memory comes from: buffer-cache slots, write staging and mount's scratch
// page are whole 4096-byte pages named by a frame, so the kernel can map a slot read-only into its
// owner and a driver can DMA into and out of it. The kernel passes frames from its direct map;
// host tests pass page-aligned native memory. XN takes its pages when built and never gives them back.
namespace ExoSharp.Xn;

public unsafe interface IPageSource
{
    /// <summary>A page of BlockSize bytes, aligned on BlockSize and all zeros, that stays XN's for
    /// good, with its frame number (physical address / 4096; on the host any number unique to
    /// the page); null when none is left.</summary>
    byte* Take(out ulong frame);
}
