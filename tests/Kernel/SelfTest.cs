// Kernel self-tests chosen on the kernel command line (selftest=NAME), so boot tests can
// show kernel mechanisms that no user program reaches: the panic path (a null dereference
// in the kernel must name this method), the timer, the heap freeing memory, the frame
// allocator handing out and taking back every frame, the disk driver writing and reading back
// a block synchronously and through its interrupt, XN's core on a RAM disk, W^X (heap memory never
// executable, compiled code never writable; running heap bytes is a kernel page fault), the
// garbage collector (GcSelfTest.cs), exceptions caught in the kernel (EhSelfTest.cs).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Tests.Kernel
{
    internal static unsafe class SelfTest
    {
        public static void Run(string name)
        {
            Console.Write("kernel: self-test ");
            Console.WriteLine(name);
            if (name == "panic") NullDereferenceOnPurpose(null);
            else if (name == "throw") ThrowOnPurpose();
            else if (name == "timer") Timer();
            else if (name == "heap") Heap();
            else if (name == "frames") Frames();
            else if (name == "disk") Disk();
            else if (name == "wx") WriteXorExecute();
            else if (name == "nxheap") RunFromHeap();
            else if (name == "xn") XnSelfTest.Run();
            else if (name == "gc") GcSelfTest.Run();
            else if (name == "eh") EhSelfTest.Run();
            else Console.WriteLine("kernel: no such self-test");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int NullDereferenceOnPurpose(int* pointer) => pointer[3];

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowOnPurpose() => throw new System.InvalidOperationException("kernel self-test");

        private static void Timer()
        {
            ulong start = Pit.Ticks;
            Cpu.EnableInterrupts();
            while (Pit.Ticks < start + 5) Cpu.Halt();
            Cpu.DisableInterrupts();
            Console.Write("kernel: timer ok, ");
            Console.WriteDecimal(Pit.Ticks - start);
            Console.WriteLine(" ticks");
        }

        private static void Heap()
        {
            // 256 MiB of allocations through a heap that cannot hold more than a few MiB
            // at once: only works if Free really returns memory. "ok" only when every
            // allocation succeeded, kept what was written and the heap grew by at most 64 KiB.
            nuint before = Internal.Runtime.GlobalHeap.TotalBytes;
            int failed = 0, corrupted = 0;
            for (int i = 0; i < 65536; i++)
            {
                byte* p = (byte*)NativeMemory.Alloc(4096);
                if (p == null) { failed++; continue; }
                p[0] = (byte)i;
                p[4095] = (byte)(i >> 8);
                if (p[0] != (byte)i || p[4095] != (byte)(i >> 8)) corrupted++;
                NativeMemory.Free(p);
            }
            ulong grew = (ulong)(Internal.Runtime.GlobalHeap.TotalBytes - before);
            bool ok = failed == 0 && corrupted == 0 && grew <= 65536;
            Console.Write(ok ? "kernel: heap ok, grew by " : "kernel: heap FAILED, grew by ");
            Console.WriteDecimal(grew);
            Console.Write(" bytes over 256 MiB of allocations, ");
            Console.WriteDecimal(failed);
            Console.Write(" failed, ");
            Console.WriteDecimal(corrupted);
            Console.WriteLine(" corrupted");
        }

        /// <summary>The leaf entry mapping a kernel address in the kernel's tables (a 2 MiB or 4 KiB page), or 0.</summary>
        private static ulong KernelEntry(ulong address)
        {
            ulong* table = (ulong*)Memory.Pointer(Memory.KernelRoot);
            for (int level = 3; level >= 0; level--)
            {
                ulong entry = table[(address >> (12 + 9 * level)) & 511];
                if ((entry & AddressSpace.Present) == 0) return 0;
                if (level == 0 || (level == 1 && (entry & AddressSpace.Large) != 0)) return entry;
                table = (ulong*)Memory.Pointer(entry & AddressSpace.AddressMask & ~(1UL << 63));
            }
            return 0;
        }

        private static void WriteXorExecute()
        {
            byte* heap = (byte*)NativeMemory.Alloc(64);
            ulong heapEntry = KernelEntry((ulong)heap);
            bool heapNx = (heapEntry & AddressSpace.NoExecute) != 0 && (heapEntry & AddressSpace.Writable) != 0;
            var program = new ExoSharp.Kernel.Executive.NativeCode();
            ExoSharp.Kernel.Executive.KernelExecutive.EnsureReady();
            var code = new ExoSharp.Executive.Bytecode.Instruction[]
            {
                ExoSharp.Executive.Bytecode.Instruction.Statement(ExoSharp.Executive.Bytecode.Opcode.Ret | ExoSharp.Executive.Bytecode.Opcode.RetK, 42),
            };
            program = ExoSharp.Kernel.Executive.NativeCode.Compile(code);
            ulong address = program.Address;
            ulong codeEntry = KernelEntry(address);
            bool inRegion = address >= ExoSharp.Kernel.Executive.CodePages.Base && address < ExoSharp.Kernel.Executive.CodePages.Base + ExoSharp.Kernel.Executive.CodePages.MaxPages * 4096UL;
            bool codeRx = (codeEntry & AddressSpace.Present) != 0 && (codeEntry & (AddressSpace.Writable | AddressSpace.NoExecute)) == 0;
            uint ran = program.IsValid ? program.Run(null, 0, 0, null) : 0;
            program.Free();
            bool gone = KernelEntry(address) == 0;
            ulong textEntry = KernelEntry((ulong)(delegate*<void>)&WriteXorExecute);
            ulong dataEntry;
            fixed (ulong* data = &s_diskTag) dataEntry = KernelEntry((ulong)data);
            bool image = (textEntry & (AddressSpace.Writable | AddressSpace.NoExecute)) == 0 && (textEntry & AddressSpace.Present) != 0 &&
                         (dataEntry & (AddressSpace.Writable | AddressSpace.NoExecute)) == (AddressSpace.Writable | AddressSpace.NoExecute);
            Console.Write(heapNx && inRegion && codeRx && ran == 42 && gone && image ? "kernel: w^x ok: " : "kernel: w^x FAILED: ");
            Console.Write(image ? "kernel code read-only, kernel data not executable, " : "kernel image NOT split into code and data, ");
            Console.Write(heapNx ? "heap writable and not executable" : "heap EXECUTABLE or read-only");
            Console.Write(inRegion && codeRx ? ", compiled code executable and read-only" : ", compiled code NOT read-only and executable");
            Console.Write(ran == 42 ? ", it ran" : ", it did not run");
            Console.WriteLine(gone ? ", freed code unmapped" : ", freed code STILL mapped");
            NativeMemory.Free(heap);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RunFromHeap()
        {
            byte* heap = (byte*)NativeMemory.Alloc(64);
            heap[0] = 0xC3;                                 // ret
            Console.WriteLine("kernel: calling into the kernel heap (must fault: the heap is never executable)");
            ((delegate* unmanaged<void>)heap)();
            Console.WriteLine("kernel: nxheap FAILED: heap bytes ran");
        }

        private static ulong s_diskTag;
        private static bool s_diskOk;

        private static void DiskDone(ulong tag, bool ok)
        {
            s_diskTag = tag;
            s_diskOk = ok;
        }

        private static void Disk()
        {
            if (!ExoSharp.Kernel.Devices.VirtioBlock.Present)
            {
                Console.WriteLine("kernel: disk FAILED: no disk");
                return;
            }
            ulong last = ExoSharp.Kernel.Devices.VirtioBlock.Blocks - 1;
            byte* a = (byte*)Memory.AllocateZeroedFrame(), b = (byte*)Memory.AllocateZeroedFrame();
            for (int i = 0; i < 4096; i++) a[i] = (byte)(i * 7 + 3);
            bool wrote = ExoSharp.Kernel.Devices.VirtioBlock.Transfer(true, last, Memory.PhysicalOf(a));
            bool read = ExoSharp.Kernel.Devices.VirtioBlock.Transfer(false, last, Memory.PhysicalOf(b));
            bool same = true;
            for (int i = 0; i < 4096; i++) same &= a[i] == b[i];
            bool refused = !ExoSharp.Kernel.Devices.VirtioBlock.Transfer(false, last + 1, Memory.PhysicalOf(b));
            // Through the interrupt: submit, then halt until the completion hook has run.
            for (int i = 0; i < 4096; i++) b[i] = 0;
            delegate*<ulong, bool, void> previous = ExoSharp.Kernel.Devices.VirtioBlock.OnComplete;     // XN's
            ExoSharp.Kernel.Devices.VirtioBlock.OnComplete = &DiskDone;
            bool submitted = ExoSharp.Kernel.Devices.VirtioBlock.Submit(false, last, Memory.PhysicalOf(b), 42);
            ulong start = Pit.Ticks;
            Cpu.EnableInterrupts();
            while (s_diskTag != 42 && Pit.Ticks < start + 200) Cpu.Halt();
            Cpu.DisableInterrupts();
            ExoSharp.Kernel.Devices.VirtioBlock.OnComplete = previous;
            bool viaInterrupt = submitted && s_diskTag == 42 && s_diskOk && b[4095] == a[4095] && b[1] == a[1];
            Console.Write(wrote && read && same && refused && viaInterrupt ? "kernel: disk ok, " : "kernel: disk FAILED, ");
            Console.WriteDecimal(ExoSharp.Kernel.Devices.VirtioBlock.Blocks);
            Console.Write(" blocks; block ");
            Console.WriteDecimal(last);
            Console.Write(wrote && read && same ? " written and read back" : " NOT read back");
            Console.Write(refused ? ", block past the end refused" : ", block past the end NOT refused");
            Console.WriteLine(viaInterrupt ? ", completion by interrupt" : ", NO completion by interrupt");
            Memory.FreeFrame(Memory.PhysicalOf(a));
            Memory.FreeFrame(Memory.PhysicalOf(b));
        }

        private static void Frames()
        {
            FrameAllocator frames = Memory.Frames;
            ulong free = frames.FreeCount, taken = 0;
            long first = frames.Allocate();
            long frame = first;
            // Chain every free frame through its own first word, then give them all back.
            while (frame >= 0)
            {
                taken++;
                long next = frames.Allocate();
                *(long*)Memory.Pointer((ulong)frame * 4096) = next;
                frame = next;
            }
            ulong exhausted = frames.FreeCount;
            for (frame = first; frame >= 0;)
            {
                long next = *(long*)Memory.Pointer((ulong)frame * 4096);
                frames.Free((ulong)frame);
                frame = next;
            }
            bool ok = taken == free && exhausted == 0 && frames.FreeCount == free && frames.Allocate() >= 0;
            if (ok) frames.Free((ulong)first);   // the probe above took the first frame again
            Console.Write(ok ? "kernel: frames ok, " : "kernel: frames FAILED, ");
            Console.WriteDecimal(taken);
            Console.Write(" allocated, ");
            Console.WriteDecimal(exhausted);
            Console.Write(" left, ");
            Console.WriteDecimal(frames.FreeCount);
            Console.Write(" free again of ");
            Console.WriteDecimal(free);
            Console.Write('\n');
        }
    }
}
