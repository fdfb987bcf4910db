// What the executive may take from the kernel heap. The corelib has no collector, so the garbage
// of every install, removal and compilation is never reclaimed: the heap growth of each is charged
// to one budget, and new programs get NoMemory once it is spent or free memory runs low, instead
// of a loop of installs exhausting the heap (a panic). Missing: a collector, per-environment
// accounting (one environment can spend the budget for all).
using Internal.Runtime;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.Executive
{
    internal static class ExecutiveBudget
    {
        /// <summary>Heap bytes the executive may consume over the kernel's lifetime.</summary>
        public const long Budget = 48L << 20;

        /// <summary>Free memory (heap and frames) that must remain before an operation starts:
        /// more than the largest single operation takes (a 4096-instruction merged program).</summary>
        private const ulong Reserve = 8UL << 20;

        private static long s_spent;

        public static long Spent => s_spent;

        /// <summary>Whether an operation that allocates may start now.</summary>
        public static bool CanSpend => s_spent < Budget && HasReserve;

        /// <summary>Whether memory is not so short that an operation could exhaust the heap
        /// (removals need only this: the budget must never stop an owner from cleaning up).</summary>
        public static bool HasReserve => (ulong)GlobalHeap.FreeBytes + Memory.Frames.FreeCount * 4096 >= Reserve;

        /// <summary>Heap bytes in use now; pass it to End after the operation.</summary>
        public static ulong Begin() => (ulong)(GlobalHeap.TotalBytes - GlobalHeap.FreeBytes);

        /// <summary>Charges (or credits, when code was freed) the change in heap use since Begin.</summary>
        public static void End(ulong before) => s_spent += (long)(ulong)(GlobalHeap.TotalBytes - GlobalHeap.FreeBytes) - (long)before;
    }
}
