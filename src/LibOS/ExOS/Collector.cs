// ExOS's policy for the corelib's garbage collector (docs/runtime.md): which memory holds roots,
// when memory goes back to the kernel. Roots, scanned conservatively: the stack the collection
// runs on, from its rsp (exo_gc_collect spills the callee-saved registers there); every mapped
// page of the other stacks ExOS knows (the initial stack, the live user-level threads' stacks, the
// exception stack with its upcall frames and the registers saved in them); native ranges that ExOS
// parts register (Threads' saved registers). A collection that runs on a stack ExOS does not know
// (a program's own exception stack) is skipped and counted. Options (Startup): gc=off, gc=stress,
// gc=verbose. Missing: precise stack maps, concurrent collection.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Collector
    {
        /// <summary>gc=stress: also a collection at every StressInterval-th object allocation.</summary>
        private const uint StressInterval = 64;
        private const int MaxRoots = 8;
        private const ulong PageSize = 4096;
        /// <summary>Free heap kept when regions go back (the next allocations would map them again).</summary>
        private const nuint KeepFree = 1u << 20;
        /// <summary>The heap's growth policy (GlobalHeap.SetGrowthPolicy): a collection once
        /// GrowthPercent of the live bytes, at least GrowthMinimum, has been allocated since the last.</summary>
        private const uint GrowthPercent = 200;
        private const nuint GrowthMinimum = 1u << 20;

        private static bool s_enabled, s_verbose;
        private static ulong* s_rootLow, s_rootHigh;
        private static int s_roots;

        public static bool Enabled => s_enabled;

        /// <summary>Collections skipped because they ran on a stack ExOS does not know.</summary>
        public static ulong SkippedUnknownStack;

        /// <summary>Bytes of heap given back to the kernel (whole empty regions, unmapped and freed).</summary>
        public static ulong ReleasedBytes;

        [RuntimeImport("exo_gc_collect")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void SpillAndCollect();

        /// <summary>mode: null (on), "stress", "verbose" or "off". Precondition: modules initialised.</summary>
        public static void Initialize(nint* modulesStart, nint* modulesEnd, string mode)
        {
            if (mode == "off") return;
            bool stress = mode == "stress";
            s_verbose = mode == "verbose";
            s_rootLow = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxRoots * 8);
            s_rootHigh = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxRoots * 8);
            GarbageCollector.Initialize(modulesStart, modulesEnd, 4096);
            Memory.PrepareRelease();
            s_enabled = true;
            GlobalHeap.SetCollector(&CollectHere, stress ? StressInterval : 0);
            GlobalHeap.SetGrowthPolicy(GrowthMinimum, GrowthPercent);
        }

        /// <summary>Native memory [start, start + bytes) that may hold the only reference to an
        /// object (saved registers): scanned at every collection. False when the table is full.</summary>
        public static bool AddRoot(void* start, ulong bytes)
        {
            if (s_rootLow == null || s_roots == MaxRoots) return false;
            s_rootLow[s_roots] = (ulong)start;
            s_rootHigh[s_roots] = (ulong)start + bytes;
            s_roots++;
            return true;
        }

        private static void CollectHere() => SpillAndCollect();

        /// <summary>From exo_gc_collect: rsp is where the callee-saved registers were spilled.</summary>
        [RuntimeExport("ExoSharpCollectFrom")]
        private static void CollectFrom(ulong rsp)
        {
            ulong mainLow = UserLayout.StackTop - UserLayout.StackSize, mainHigh = UserLayout.StackTop;
            ulong threadsLow = Layout.ThreadStacks, threadsHigh = Layout.ThreadStacks + Threads.MaxThreads * Layout.ThreadStackSize;
            ulong top;
            if (rsp >= mainLow && rsp < mainHigh) top = mainHigh;
            else if (rsp >= Layout.ExceptionStackBase && rsp < Layout.ExceptionStackTop) top = Layout.ExceptionStackTop;
            else if (rsp >= threadsLow && rsp < threadsHigh) top = (rsp - threadsLow) / Layout.ThreadStackSize * Layout.ThreadStackSize + Layout.ThreadStackSize + threadsLow;
            else
            {
                SkippedUnknownStack++;
                return;
            }
            GarbageCollector.BeginRoots();
            GarbageCollector.AddRoots((ulong*)rsp, (ulong*)top);
            ulong currentLow = top == Layout.ExceptionStackTop ? Layout.ExceptionStackBase : top == mainHigh ? mainLow : top - Layout.ThreadStackSize;
            AddMapped(mainLow, mainHigh, currentLow);
            AddMapped(Layout.ExceptionStackBase, Layout.ExceptionStackTop, currentLow);
            // A finished thread's stack is skipped: its stale words could only keep garbage alive.
            int thread = 0;
            for (ulong stack = threadsLow; stack < threadsHigh; stack += Layout.ThreadStackSize, thread++)
                if (Threads.IsAlive(thread)) AddMapped(stack, stack + Layout.ThreadStackSize, currentLow);
            for (int i = 0; i < s_roots; i++) GarbageCollector.AddRoots((ulong*)s_rootLow[i], (ulong*)s_rootHigh[i]);
            GarbageCollector.CollectFromRoots();
            // Memory back to the kernel once more is free than the next collection's budget,
            // keeping that (the next allocations would map it again).
            nuint keep = GarbageCollector.LastLiveBytes / 100 * GrowthPercent + GrowthMinimum;
            if (GlobalHeap.FreeBytes > keep) ReleasedBytes += GlobalHeap.ReleaseEmptyRegions(&Memory.ReleaseRegion, keep);
            if (s_verbose) Report();
        }

        /// <summary>The mapped pages of [low, high), unless it is the current stack (scanned from rsp).</summary>
        private static void AddMapped(ulong low, ulong high, ulong currentLow)
        {
            if (low == currentLow) return;
            for (ulong page = low; page < high; page += PageSize)
            {
                if ((KernelTables.PageEntry(page) & 1) == 0) continue;
                ulong end = page + PageSize;
                while (end < high && (KernelTables.PageEntry(end) & 1) != 0) end += PageSize;
                GarbageCollector.AddRoots((ulong*)page, (ulong*)end);
                page = end;
            }
        }

        /// <summary>When the kernel asks for frames back (a Revoke upcall): collect and give back
        /// every empty heap region first. Not while the heap is busy (the upcall interrupted it).</summary>
        public static void GiveBack()
        {
            if (!s_enabled || GlobalHeap.Busy) return;
            GlobalHeap.Collect();
            ReleasedBytes += GlobalHeap.ReleaseEmptyRegions(&Memory.ReleaseRegion, KeepFree);
        }

        private static void Report()
        {
            System.Console.WriteLine("exos: gc #" + GarbageCollector.Collections.ToString() + ": live " + ((ulong)GarbageCollector.LastLiveBytes / 1024).ToString() +
                                     " KiB, freed " + ((ulong)GarbageCollector.LastFreedBytes / 1024).ToString() + " KiB, heap " +
                                     ((ulong)GlobalHeap.TotalBytes / 1024).ToString() + " KiB");
        }
    }
}
