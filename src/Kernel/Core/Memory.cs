// Physical memory for the kernel: the frame allocator built from the multiboot memory map,
// and the kernel heap's supply (ExoSharpMoreCore): first a static early arena from boot.asm,
// then runs of frames. Identity mapping below 4 GiB means frame address == kernel pointer.
// Frames above 4 GiB are not used (not mapped). Interrupts off.
using System.Runtime;
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class Memory
    {
        private const ulong MappedLimit = 4UL << 30;
        private const ulong HeapGrowth = 1UL << 20;

        // Non-GC statics only above MoreCore's early path: it runs before module initialisation.
        private static ulong s_earlyHeap, s_earlyHeapSize;
        private static ulong s_kernelRoot;

        public static FrameAllocator Frames;

        public static ulong KernelRoot => s_kernelRoot;

        /// <summary>Step 1, before any allocation: the early arena and the kernel's page tables.</summary>
        public static void InitializeEarly(in BootSymbols symbols)
        {
            s_earlyHeap = symbols.EarlyHeap;
            s_earlyHeapSize = symbols.EarlyHeapSize;
            s_kernelRoot = symbols.KernelPml4;
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
            ulong kernelEnd = (symbols.KernelEnd + 4095) / 4096;
            Frames.MarkUsed(0x100000 / 4096, kernelEnd - 0x100000 / 4096);
            foreach (BootModule module in boot.Modules)
            {
                ulong first = module.Start / 4096, last = (module.End + 4095) / 4096;
                Frames.MarkUsed(first, last - first);
            }
        }

        /// <summary>A zeroed frame as a kernel pointer, or null when none is left.</summary>
        public static ulong* AllocateZeroedFrame()
        {
            long frame = Frames.Allocate();
            if (frame < 0) return null;
            ulong* p = (ulong*)((ulong)frame * FrameAllocator.FrameSize);
            NativeMemory.Clear(p, FrameAllocator.FrameSize);
            return p;
        }

        public static void FreeFrame(ulong physicalAddress)
        {
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
            *granted = (nuint)bytes;
            return (void*)((ulong)first * FrameAllocator.FrameSize);
        }
    }
}
