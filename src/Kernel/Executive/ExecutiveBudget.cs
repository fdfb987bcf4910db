// What the executive may take from the kernel heap. With the collector (Core/Collector.cs) the
// garbage of installs, removals and compilations is reclaimed, so the budget limits live memory:
// heap bytes in use beyond those at the executive's first operation, collected first (so the
// figure is live bytes) before an operation is refused, so a loop of installs gets NoMemory
// instead of exhausting the heap. With gc=off:
// each operation's heap growth is charged. Missing: per-environment accounting (one environment
// can spend the budget for all); every live kernel allocation is charged, not only the executive's.
using Internal.Runtime;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.Executive;

internal static class ExecutiveBudget
{
    /// <summary>Live heap bytes the executive may add (execbudget=KiB overrides it, for tests).</summary>
    public const long DefaultBudget = 48L << 20;

    private static long s_budget = DefaultBudget;

    /// <summary>Free memory (heap and frames) that must remain before an operation starts:
    /// more than the largest single operation takes (a 4096-instruction merged program).</summary>
    private const ulong Reserve = 8UL << 20;

    private static long s_spent;
    private static long s_baseline = -1;

    public static long Budget => s_budget;

    /// <summary>Precondition: KiB > 0.</summary>
    public static void Configure(ulong kib) => s_budget = (long)kib << 10;

    /// <summary>With the collector: heap bytes in use beyond those in use at the first operation
    /// (not collected then: that call's stretch with interrupts off would hold a collection and
    /// its own work; the garbage of that moment loosens the budget by at most Collector's
    /// growth trigger). Without: the sum of operations' growth.</summary>
    public static long Spent
    {
        get
        {
            if (!Collector.Enabled) return s_spent;
            if (s_baseline < 0) s_baseline = (long)GlobalHeap.InUseBytes;
            return (long)GlobalHeap.InUseBytes - s_baseline;
        }
    }

    /// <summary>Whether an operation that allocates may start now (may collect first).</summary>
    public static bool CanSpend
    {
        get
        {
            if (Spent < s_budget && HasReserve) return true;
            if (!Collector.Enabled) return false;
            GlobalHeap.Collect();
            return Spent < s_budget && HasReserve;
        }
    }

    /// <summary>Whether memory is not so short that an operation could exhaust the heap
    /// (removals need only this: the budget must never stop an owner from cleaning up).</summary>
    public static bool HasReserve
    {
        get
        {
            if (FreeMemory >= Reserve) return true;
            if (!Collector.Enabled) return false;
            GlobalHeap.Collect();
            return FreeMemory >= Reserve;
        }
    }

    private static ulong FreeMemory => (ulong)GlobalHeap.FreeBytes + Memory.Frames.FreeCount * 4096;

    /// <summary>Heap bytes in use now; pass it to End after the operation.</summary>
    public static ulong Begin() => (ulong)GlobalHeap.InUseBytes;

    /// <summary>Charges (or credits, when code was freed) the change in heap use since Begin
    /// (gc=off), and gives the collector its chance (Collector.AfterExecutiveCall).</summary>
    public static void End(ulong before)
    {
        s_spent += (long)(ulong)GlobalHeap.InUseBytes - (long)before;
        Collector.AfterExecutiveCall();
    }
}
