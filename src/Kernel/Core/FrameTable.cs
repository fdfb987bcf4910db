// Frames handed to environments: how many capabilities (in all environments' tables) and packet
// rings (the kernel's own hold, Net.KernelRing) name each one. A frame returns to the allocator
// when its last reference goes, so no frame is freed while anyone can still map it or the
// kernel may still write it, and none is mapped without a capability.
// The table is mapped read-only into every environment (UserLayout.FrameTable).
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

internal static unsafe class FrameTable
{
    private static ushort* s_references;
    private static ushort* s_kernelHolds;      // the references that are the kernel's own (Pin, RetainForKernel)
    private static ulong s_count;

    /// <summary>Frames environments can never take: the kernel's own needs (heap, page
    /// tables, contexts) are met from these when memory runs out, so running out is an
    /// error for the environment that asked, never a kernel panic.</summary>
    public const ulong KernelReserve = 2048;

    public static void Initialize(ulong frames)
    {
        s_count = frames;
        s_references = (ushort*)KernelWindows.Allocate(Abi.UserLayout.FrameTable, frames * 2);
        s_kernelHolds = (ushort*)NativeMemory.AllocZeroed((nuint)(frames * 2));
    }

    public static ulong Count => s_count;

    /// <summary>A zeroed frame (that number, or any when frame is Abi AnyFrame) with one
    /// reference, paid for by Accounts.Charging, or -1 when it is not free or none is left.
    /// Precondition: Accounts.MayTake(1).</summary>
    public static long Allocate(ulong frame)
    {
        long got;
        if (!Memory.EnvironmentMayTake(1)) return -1;
        if (frame == Abi.Capability.AnyFrame) got = Memory.Frames.Allocate();
        else got = Memory.Frames.Allocate(frame) ? (long)frame : -1;
        if (got < 0) return -1;
        Accounts.Charge((ulong)got);
        NativeMemory.Clear(Memory.Pointer((ulong)got * FrameAllocator.FrameSize), FrameAllocator.FrameSize);
        s_references[got] = 1;
        return got;
    }

    /// <summary>Makes a kernel-reserved frame (a boot module's) shareable: the kernel keeps one
    /// reference forever, so the frame is never freed.</summary>
    public static void Pin(ulong frame)
    {
        if (frame < s_count && s_references[frame] == 0)
        {
            s_references[frame] = 1;
            s_kernelHolds[frame] = 1;
        }
    }

    /// <summary>Retain on the kernel's own behalf (a packet ring); ReleaseForKernel gives it back.</summary>
    public static bool RetainForKernel(ulong frame)
    {
        if (!Retain(frame)) return false;
        s_kernelHolds[frame]++;
        return true;
    }

    public static void ReleaseForKernel(ulong frame)
    {
        if (frame < s_count && s_kernelHolds[frame] != 0) s_kernelHolds[frame]--;
        Release(frame);
    }

    /// <summary>How many of a frame's references are the kernel's own (the self-check's ledger).</summary>
    public static int KernelHolds(ulong frame) => frame < s_count ? s_kernelHolds[frame] : 0;

    /// <summary>Takes one more reference; false (nothing taken) when the frame is not held or its
    /// count is at its limit. Every caller must honour a false: a reference handed out without
    /// a count would let the frame be freed while still named.</summary>
    public static bool Retain(ulong frame)
    {
        if (frame >= s_count || s_references[frame] == 0 || s_references[frame] == ushort.MaxValue) return false;
        s_references[frame]++;
        return true;
    }

    /// <summary>Whether count more references can be taken on a held frame (Retain would
    /// refuse past ushort.MaxValue): callers that must not fail halfway check first.</summary>
    public static bool CanRetain(ulong frame, int count) =>
        frame < s_count && s_references[frame] != 0 && s_references[frame] + count <= ushort.MaxValue;

    public static void Release(ulong frame)
    {
        if (frame >= s_count || s_references[frame] == 0) Panic.Halt("releasing a frame nobody holds");
        if (--s_references[frame] != 0) return;
        Accounts.Freed(frame);
        Memory.Frames.Free(frame);
    }

    public static int References(ulong frame) => frame < s_count ? s_references[frame] : 0;
}
