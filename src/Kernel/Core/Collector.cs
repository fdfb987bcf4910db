// The kernel's side of the garbage collector (docs/gc.md): which stacks are roots, when to
// collect, the gc= option. Collections happen before the heap grows (GlobalHeap.Allocate) and
// after executive calls once the heap has grown by GrowthTrigger since the last one; always
// stop-the-world with interrupts off. Invariant: the only kernel stacks are the boot stack and
// the trap stack. Missing: a collection on any other stack is skipped (none exists today).
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Collector
{
    /// <summary>Heap growth since the last collection after which an executive call collects.</summary>
    private const ulong GrowthTrigger = 4UL << 20;
    /// <summary>gc=stress: a collection at every 16th object allocation, too (every allocation
    /// makes the executive's tests take minutes: about 1000 allocations per filter install).</summary>
    private const uint StressInterval = 16;

    private static ulong s_bootStack, s_bootStackTop, s_trapStack, s_trapStackTop;
    private static bool s_enabled, s_verbose;     // gc=stress: PendingWork.GcStress (read at every system call)
    private static ulong s_skipped, s_systemCalls;

    public static bool Enabled => s_enabled;

    [RuntimeImport("exo_gc_collect")]
    [MethodImpl(MethodImplOptions.InternalCall)]
    private static extern void SpillAndCollect();

    /// <summary>mode: the gc= option: null (on, quiet), "stress" (also at every executive
    /// call, every 4th system call and every StressInterval-th object allocation, a line per
    /// collection), "verbose" (a
    /// line per collection), "off". Precondition: modules initialised, frames available.</summary>
    public static void Initialize(BootSymbols* symbols, string mode)
    {
        if (mode == "off") return;
        PendingWork.GcStress = mode == "stress";
        s_verbose = PendingWork.GcStress || mode == "verbose";
        s_bootStack = symbols->BootStack;
        s_bootStackTop = symbols->BootStackTop;
        s_trapStack = symbols->TrapStack;
        s_trapStackTop = symbols->TrapStackTop;
        int words = (int)((s_bootStackTop - s_bootStack + s_trapStackTop - s_trapStack) / 8);
        GarbageCollector.Initialize((nint*)symbols->ModulesStart, (nint*)symbols->ModulesEnd, words);
        s_enabled = true;
        GlobalHeap.SetCollector(&CollectHere, PendingWork.GcStress ? StressInterval : 0);
        GlobalHeap.Collect();
        if (s_verbose)
            Console.Format("kernel: gc on ({} frozen objects)\n", (ulong)GarbageCollector.FrozenObjects);
    }

    private static void CollectHere() => SpillAndCollect();

    /// <summary>After an executive call (ExecutiveBudget.End): collects when the heap grew by
    /// GrowthTrigger since the last collection (always with gc=stress).</summary>
    public static void AfterExecutiveCall()
    {
        if (!s_enabled) return;
        if (PendingWork.GcStress || GlobalHeap.InUseBytes >= GarbageCollector.LastLiveBytes + GrowthTrigger) GlobalHeap.Collect();
    }

    /// <summary>gc=stress, at every 4th system call's entry into C# (every one makes IPC-heavy
    /// tests like jos-primes take a minute): the kernel's whole object graph between calls
    /// must be reachable from the roots.</summary>
    public static void AtSystemCall()
    {
        if ((++s_systemCalls & 3) == 0) GlobalHeap.Collect();
    }

    /// <summary>From exo_gc_collect with the callee-saved registers spilled at rsp.</summary>
    [RuntimeExport("ExoSharpCollectFrom")]
    private static void CollectFrom(ulong rsp)
    {
        if (rsp >= s_trapStack && rsp < s_trapStackTop)
            GarbageCollector.Collect((ulong*)rsp, (ulong*)s_trapStackTop, (ulong*)s_bootStack, (ulong*)s_bootStackTop);
        else if (rsp >= s_bootStack && rsp < s_bootStackTop)
            GarbageCollector.Collect((ulong*)rsp, (ulong*)s_bootStackTop, null, null);
        else
        {
            s_skipped++;   // an unknown stack: its frames could not be scanned
            return;
        }
        if (GarbageCollector.BadReferences != 0 && PendingWork.GcStress) Panic.Halt("gc: a reference to something that is not an object");
        if (!s_verbose || !Console.AtLineStart) return;   // never inside someone's line
        Console.Format("kernel: gc #{}: live {} KiB, freed {} KiB, heap {} KiB\n", (ulong)GarbageCollector.Collections,
                       (ulong)GarbageCollector.LastLiveBytes / 1024, (ulong)GarbageCollector.LastFreedBytes / 1024, (ulong)GlobalHeap.TotalBytes / 1024);
    }
}
