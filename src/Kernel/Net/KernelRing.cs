// The kernel's side of one packet ring (Abi.PacketRing): the frames holding it (the kernel
// holds a reference on each, so they cannot be freed and reused while it may write them),
// where its next slot is, and frames dropped since the last delivery. Slots are reached through
// the direct map, so any address space may be active.
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.Net;

internal sealed unsafe class KernelRing
{
    public readonly ulong[] Frames;
    public readonly uint Slots;
    public uint Next;
    public uint Dropped;

    public KernelRing(ulong[] frames, uint slots)
    {
        Frames = frames;
        Slots = slots;
    }

    public PacketSlot* Slot(uint index) =>
        (PacketSlot*)Memory.Pointer(Frames[index / PacketRing.SlotsPerPage] * 4096 + (index % PacketRing.SlotsPerPage) * PacketRing.SlotSize);

    public byte* Data(uint index) => (byte*)Slot(index) + PacketRing.HeaderSize;

    public void Advance() => Next = Next + 1 == Slots ? 0 : Next + 1;

    /// <summary>Gives the frames back (the ring is going).</summary>
    public void Release()
    {
        foreach (ulong frame in Frames) FrameTable.ReleaseForKernel(frame);
    }
}
