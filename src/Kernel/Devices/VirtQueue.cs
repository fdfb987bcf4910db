// One split virtqueue in the legacy layout (virtio 0.9.5 / 1.x section 2.7, queue alignment
// 4096): descriptors, then the available ring, then (page aligned) the used ring, in physically
// contiguous kernel frames. Descriptor i describes buffer i (BufferSize bytes, also contiguous)
// unless a driver chains descriptors itself (Chain, then Offer): a buffer is named by its
// index; Post(i) offers it, NextUsed returns finished ones (by their first descriptor).
// Interrupts off; must not allocate after construction (the interrupt path uses it).
using System.Threading;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.Devices;

internal sealed unsafe class VirtQueue
{
    public const ushort DescriptorNext = 1, DescriptorWrite = 2;
    private const ushort AvailNoInterrupt = 1;

    public readonly ushort Size;
    public readonly int BufferSize;
    public readonly ulong PhysicalBase;
    private readonly byte* _descriptors;
    private readonly ushort* _avail;            // flags, idx, ring[Size], used_event
    private readonly ushort* _used;             // flags, idx, then {u32 id, u32 len}[Size]
    private readonly byte* _buffers;
    private readonly ulong _buffersPhysical;
    private ushort _availIndex;     // the ring entry is written before the index that publishes it
    private ushort _usedIndex;

    /// <summary>Null when memory for it cannot be found (the caller goes without the device).</summary>
    public static VirtQueue Create(ushort size, int bufferSize, bool deviceWrites)
    {
        if (size == 0 || (size & (size - 1)) != 0) return null;
        ulong ringBytes = Align((ulong)size * 16 + 2 * (3 + (ulong)size)) + Align(2 * 3 + 8 * (ulong)size);
        long rings = Memory.Frames.AllocateContiguous(ringBytes / 4096);
        long buffers = Memory.Frames.AllocateContiguous(Align((ulong)size * (ulong)bufferSize) / 4096);
        if (rings < 0 || buffers < 0) return null;
        return new VirtQueue(size, bufferSize, (ulong)rings * 4096, ringBytes, (ulong)buffers * 4096, deviceWrites);
    }

    private VirtQueue(ushort size, int bufferSize, ulong rings, ulong ringBytes, ulong buffers, bool deviceWrites)
    {
        Size = size;
        BufferSize = bufferSize;
        PhysicalBase = rings;
        byte* b = Memory.Pointer(rings);
        System.Runtime.InteropServices.NativeMemory.Clear(b, (nuint)ringBytes);
        _descriptors = b;
        _avail = (ushort*)(b + 16 * size);
        _used = (ushort*)(b + Align((ulong)size * 16 + 2 * (3 + (ulong)size)));
        _buffers = Memory.Pointer(buffers);
        _buffersPhysical = buffers;
        for (int i = 0; i < size; i++)
        {
            byte* d = _descriptors + 16 * i;
            *(ulong*)d = buffers + (ulong)i * (ulong)bufferSize;
            *(uint*)(d + 8) = (uint)bufferSize;
            *(ushort*)(d + 12) = deviceWrites ? DescriptorWrite : (ushort)0;
            *(ushort*)(d + 14) = 0;
        }
    }

    private static ulong Align(ulong bytes) => (bytes + 4095) & ~4095UL;

    public byte* Buffer(int index) => _buffers + (long)index * BufferSize;

    /// <summary>Offers buffer index to the device with length bytes (the whole buffer for receive).
    /// The caller then notifies the device (Notify on the transport).</summary>
    public void Post(int index, int length)
    {
        *(uint*)(_descriptors + 16 * index + 8) = (uint)length;
        Offer(index);
    }

    public ulong BufferPhysical(int index) => _buffersPhysical + (ulong)index * (ulong)BufferSize;

    /// <summary>Points descriptor index at physical memory (flags: DescriptorNext, DescriptorWrite).</summary>
    public void Chain(int index, ulong physical, uint length, ushort flags, int next)
    {
        byte* d = _descriptors + 16 * index;
        *(ulong*)d = physical;
        *(uint*)(d + 8) = length;
        *(ushort*)(d + 12) = flags;
        *(ushort*)(d + 14) = (ushort)next;
    }

    /// <summary>Offers the chain that starts at descriptor head, as set up with Chain.</summary>
    public void Offer(int head)
    {
        _avail[2 + _availIndex % Size] = (ushort)head;
        _availIndex++;
        Volatile.Write(ref _avail[1], _availIndex);
    }

    /// <summary>The next buffer the device has finished with and the bytes it wrote, or false.</summary>
    public bool NextUsed(out int index, out int length)
    {
        if (Volatile.Read(ref _used[1]) == _usedIndex)
        {
            index = length = 0;
            return false;
        }
        uint* element = (uint*)(_used + 2) + 2 * (_usedIndex % Size);
        index = (int)element[0];
        length = (int)element[1];
        _usedIndex++;
        return index < Size;
    }

    /// <summary>Buffers offered and not yet returned by the device.</summary>
    public int InFlight => (ushort)(_availIndex - Volatile.Read(ref _used[1]));

    /// <summary>Asks the device not to interrupt when it finishes with buffers of this queue.</summary>
    public void SuppressInterrupts() => _avail[0] = AvailNoInterrupt;
}
