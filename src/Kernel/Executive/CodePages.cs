// Executable pages for compiled programs (filters, UDFs, predicates), so that no kernel memory is
// both writable and executable at one address (W^X): code lives in a region of its own (PML4 slot
// 510, shared by every address space), mapped present and executable but read-only; the kernel
// writes it once, before it is ever run, through the frame's direct-map alias (writable, never
// executable). At most MaxPages pages; when they are used up compiling fails and the callers
// interpret. (The image's own code is read-only too, its data never executable: Memory.ProtectImage.)
// Interrupts off.
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Executive;

internal static unsafe class CodePages
{
    public const ulong Base = 0xFFFF_FF00_0000_0000;
    public const int Slot = 510;
    public const int MaxPages = 4096;           // 16 MiB of compiled code
    private const int Tables = MaxPages / 512;

    private static ulong* s_entries;            // the leaf entries of the region, Tables page tables in a row
    private static readonly ulong[] s_used = new ulong[MaxPages / 64];

    /// <summary>Boot time, before any address space is made (they copy the kernel's PML4 slots).</summary>
    public static void Initialize()
    {
        ulong* pdpt = Memory.AllocateZeroedFrame(), pd = Memory.AllocateZeroedFrame();
        long tables = Memory.Frames.AllocateContiguous(Tables);
        if (pdpt == null || pd == null || tables < 0) Panic.Halt("no memory for the code region");
        s_entries = (ulong*)Memory.Pointer((ulong)tables * 4096);
        System.Runtime.InteropServices.NativeMemory.Clear(s_entries, Tables * 4096);
        for (int i = 0; i < Tables; i++) pd[i] = ((ulong)tables + (ulong)i) * 4096 | AddressSpace.Present | AddressSpace.Writable;
        pdpt[0] = Memory.PhysicalOf(pd) | AddressSpace.Present | AddressSpace.Writable;
        ((ulong*)Memory.Pointer(Memory.KernelRoot))[Slot] = Memory.PhysicalOf(pdpt) | AddressSpace.Present | AddressSpace.Writable;
    }

    /// <summary>Copies length bytes of machine code into fresh executable pages; their address,
    /// or 0 when the region or memory is exhausted.</summary>
    public static byte* Place(byte* code, int length)
    {
        int pages = (length + 4095) / 4096;
        int first = FindRun(pages);
        if (first < 0) return null;
        for (int p = 0; p < pages; p++)
        {
            ulong* frame = Memory.AllocateZeroedFrameForEnvironment();     // never the kernel's reserve
            if (frame == null)
            {
                Release(first, p);
                return null;
            }
            int chunk = length - p * 4096 < 4096 ? length - p * 4096 : 4096;
            System.Buffer.MemoryCopy(code + p * 4096, frame, 4096, chunk);
            s_entries[first + p] = Memory.PhysicalOf(frame) | AddressSpace.Present;     // read-only, executable
            s_used[(first + p) / 64] |= 1UL << ((first + p) % 64);
        }
        return (byte*)(Base + (ulong)first * 4096);
    }

    /// <summary>Unmaps and frees the pages Place gave for length bytes at address.</summary>
    public static void Free(byte* address, int length)
    {
        int first = (int)(((ulong)address - Base) / 4096);
        int pages = (length + 4095) / 4096;
        Release(first, pages);
    }

    private static void Release(int first, int pages)
    {
        for (int p = first; p < first + pages; p++)
        {
            ulong entry = s_entries[p];
            if (entry != 0) Memory.FreeFrame(entry & AddressSpace.AddressMask);
            s_entries[p] = 0;
            Cpu.InvalidatePage(Base + (ulong)p * 4096);
            s_used[p / 64] &= ~(1UL << (p % 64));
        }
    }

    private static int FindRun(int pages)
    {
        int run = 0;
        for (int p = 0; p < MaxPages; p++)
        {
            run = (s_used[p / 64] & (1UL << (p % 64))) != 0 ? 0 : run + 1;
            if (run == pages) return p + 1 - pages;
        }
        return -1;
    }
}
