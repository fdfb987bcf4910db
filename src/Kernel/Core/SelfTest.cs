// Kernel self-tests chosen on the kernel command line (selftest=NAME), so boot tests can
// show kernel mechanisms that no user program reaches: the panic path (a null dereference
// in the kernel must name this method), the timer, the heap freeing memory, the frame
// allocator handing out and taking back every frame, XN's core on a RAM disk.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
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
            else if (name == "xn") ExoSharp.Kernel.Xn.XnSelfTest.Run();
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
            // at once: only works if Free really returns memory.
            nuint before = Internal.Runtime.GlobalHeap.TotalBytes;
            for (int i = 0; i < 65536; i++)
            {
                byte* p = (byte*)NativeMemory.Alloc(4096);
                p[0] = (byte)i;
                p[4095] = (byte)i;
                NativeMemory.Free(p);
            }
            Console.Write("kernel: heap ok, grew by ");
            Console.WriteDecimal((ulong)(Internal.Runtime.GlobalHeap.TotalBytes - before));
            Console.WriteLine(" bytes over 256 MiB of allocations");
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
