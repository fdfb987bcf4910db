// Physical memory for the kernel. Every physical address is reachable at DirectMap + address
// (boot.asm maps the first 4 GiB there, writable and never executable); the kernel image lives
// at KernelOffset + address. Nothing the kernel allocates is executable (compiled programs get
// pages of their own: Executive/CodePages.cs).
// The frame allocator is built from the multiboot memory map; the kernel heap's supply
// (ExoSharpMoreCore) is first a static early arena from boot.asm, then runs of frames.
// Frames above 4 GiB are not used (not mapped). Interrupts off.
using System.Runtime;
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Memory
{
    public const ulong DirectMap = 0xFFFF_8000_0000_0000;
    public const ulong KernelOffset = 0xFFFF_FFFF_8000_0000;
    private const ulong MappedLimit = 4UL << 30;
    private const ulong HeapGrowth = 1UL << 20;

    // Non-GC statics only above MoreCore's early path: it runs before module initialisation.
    private static ulong s_earlyHeap, s_earlyHeapSize;
    private static ulong s_kernelRoot;

    public static FrameAllocator Frames;

    /// <summary>The physical address of the kernel's own PML4 (its upper half is in every space).</summary>
    public static ulong KernelRoot => s_kernelRoot;

    public static byte* Pointer(ulong physicalAddress) => (byte*)(DirectMap + physicalAddress);

    public static ulong PhysicalOf(void* directMapped) => (ulong)directMapped - DirectMap;

    /// <summary>Step 1, before any allocation: the early arena and the kernel's page tables.</summary>
    public static void InitializeEarly(in BootSymbols symbols)
    {
        s_earlyHeap = symbols.EarlyHeap - KernelOffset + DirectMap;   // its direct-map alias: never executable
        s_earlyHeapSize = symbols.EarlyHeapSize;
        s_kernelRoot = symbols.KernelPml4 - KernelOffset;
    }

    /// <summary>Step 2, after module initialisation: frames from the memory map, minus the
    /// first 1 MiB, the kernel image and the boot modules.</summary>
    public static void InitializeFrames(BootInfo boot, in BootSymbols symbols)
    {
        ulong highest = 0;
        foreach (MemoryRegion region in boot.Memory)
            if (region.Address + region.Length > highest) highest = region.Address + region.Length;
        ulong frames = (highest < MappedLimit ? highest : MappedLimit) / FrameAllocator.FrameSize;
        ulong* bitmap = (ulong*)NativeMemory.Alloc((nuint)(FrameAllocator.BitmapWords(frames) * 8));
        Frames = new FrameAllocator(bitmap, frames);
        foreach (MemoryRegion region in boot.Memory)
        {
            ulong first = (region.Address + 4095) / 4096, end = (region.Address + region.Length) / 4096;
            if (end > first) Frames.MarkFree(first, end - first);
        }
        Frames.MarkUsed(0, 0x100000 / FrameAllocator.FrameSize);
        ulong kernelEnd = (symbols.KernelEnd - KernelOffset + 4095) / 4096;
        Frames.MarkUsed(0x100000 / 4096, kernelEnd - 0x100000 / 4096);
        foreach (BootModule module in boot.Modules)
        {
            ulong first = module.Start / 4096, last = (module.End + 4095) / 4096;
            Frames.MarkUsed(first, last - first);
        }
        FrameTable.Initialize(frames);
        Accounts.Initialize(frames);
    }

    /// <summary>Step 3: the image window (KernelOffset) remapped with 4 KiB pages by section: code
    /// read-only and executable, rodata read-only, data and bss writable and never executable;
    /// nothing below the image. Until now boot.asm's 2 MiB pages map it all writable and
    /// executable. The window's PDPT is shared by every address space. Interrupts off.</summary>
    public static void ProtectImage(in BootSymbols symbols)
    {
        ulong start = 0x100000, rodata = symbols.RodataStart - KernelOffset, data = symbols.DataStart - KernelOffset;
        ulong end = (symbols.KernelEnd - KernelOffset + 4095) & ~4095UL;
        ulong tables = (end + (1UL << 21) - 1) >> 21;
        ulong* pd = AllocateZeroedFrame();
        for (ulong t = 0; t < tables; t++)
        {
            ulong* pt = AllocateZeroedFrame();
            if (pd == null || pt == null) Panic.Halt("no memory for the kernel's page tables");
            pd[t] = PhysicalOf(pt) | AddressSpace.Present | AddressSpace.Writable;
            for (ulong i = 0; i < 512; i++)
            {
                ulong address = (t << 21) + (i << 12);
                if (address < start || address >= end) continue;
                ulong flags = AddressSpace.Present;
                if (address >= data) flags |= AddressSpace.Writable | AddressSpace.NoExecute;
                else if (address >= rodata) flags |= AddressSpace.NoExecute;
                pt[i] = address | flags;
            }
        }
        ulong* pml4 = (ulong*)Pointer(s_kernelRoot);
        ulong* pdptHigh = (ulong*)Pointer(pml4[511] & AddressSpace.AddressMask);
        pdptHigh[510] = PhysicalOf(pd) | AddressSpace.Present | AddressSpace.Writable;
        X64.Cpu.WriteCr3(s_kernelRoot);
    }

    /// <summary>A zeroed frame the kernel needs because an environment asked (its page
    /// tables, its PML4), paid for by Accounts.Charging: like FrameAlloc, refused when that
    /// account is spent or only the kernel's reserve is left.</summary>
    public static ulong* AllocateZeroedFrameForEnvironment()
    {
        if (!Accounts.MayTake(1) || !EnvironmentMayTake(1)) return null;
        long frame = Frames.Allocate();
        if (frame < 0) return null;
        Accounts.Charge((ulong)frame);
        return Zeroed(frame);
    }

    /// <summary>Can a request made for an environment take `frames` more frames and leave the
    /// kernel's reserve whole? When not, one bounded step of what ended environments still
    /// hold is freed first (EnvTable.ReapSome), so memory a dead environment
    /// has not yet given back is never refused to a live one. Interrupts off.</summary>
    public static bool EnvironmentMayTake(ulong frames)
    {
        if (Frames.FreeCount >= FrameTable.KernelReserve + frames) return true;
        EnvTable.ReapSome();
        return Frames.FreeCount >= FrameTable.KernelReserve + frames;
    }

    /// <summary>A zeroed frame for the kernel's own use, as a direct-map pointer, or null
    /// when none is left (it may take the reserve).</summary>
    public static ulong* AllocateZeroedFrame()
    {
        long frame = Frames.Allocate();
        if (frame < 0) return null;
        Accounts.ChargeKernel((ulong)frame);
        return Zeroed(frame);
    }

    private static ulong* Zeroed(long frame)
    {
        ulong* p = (ulong*)Pointer((ulong)frame * FrameAllocator.FrameSize);
        NativeMemory.Clear(p, FrameAllocator.FrameSize);
        return p;
    }

    public static void FreeFrame(ulong physicalAddress)
    {
        Accounts.Freed(physicalAddress / FrameAllocator.FrameSize);
        if (!Frames.Free(physicalAddress / FrameAllocator.FrameSize))
            Panic.Halt("freeing a frame that is not in use");
    }

    [RuntimeExport("ExoSharpMoreCore")]
    public static void* MoreCore(nuint minimum, nuint* granted)
    {
        if (s_earlyHeap != 0)
        {
            void* early = (void*)s_earlyHeap;
            *granted = (nuint)s_earlyHeapSize;
            s_earlyHeap = 0;
            return early;
        }
        if (Frames == null) return null;
        ulong bytes = minimum < HeapGrowth ? HeapGrowth : ((ulong)minimum + 4095) & ~4095UL;
        long first = Frames.AllocateContiguous(bytes / FrameAllocator.FrameSize);
        if (first < 0) return null;
        for (ulong f = 0; f < bytes / FrameAllocator.FrameSize; f++) Accounts.ChargeKernel((ulong)first + f);
        *granted = (nuint)bytes;
        return Pointer((ulong)first * FrameAllocator.FrameSize);
    }
}
