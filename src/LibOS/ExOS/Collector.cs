// ExOS's policy for the corelib's garbage collector (docs/runtime.md): which memory holds roots,
// when memory goes back to the kernel. Roots, scanned conservatively: the stack the collection
// runs on, from its rsp (exo_gc_collect spills the callee-saved registers there); every mapped
// page of the other stacks ExOS knows (the initial stack, the live user-level threads' stacks);
// of the exception stack only the live part, from the low mark start.asm keeps (the innermost
// live upcall's save area; nothing once the last upcall resumed code elsewhere), so stale upcall
// frames keep nothing alive; the saved registers of the threads not running (Threads.AddRoots);
// native ranges that ExOS parts register. A collection that runs on a stack ExOS does not know
// (a program's own exception stack) is skipped and counted. Options (Startup): gc=off,
// gc=stress (also a collection at every 64th object allocation and at every upcall),
// gc=stress-all (the same, passed on to every program spawned), gc=verbose. Missing: precise
// stack maps, concurrent collection.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Collector
    {
        /// <summary>gc=stress: also a collection at every StressInterval-th object allocation (and at every upcall).</summary>
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

        [RuntimeImport("exo_upcall_low_cell")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong* UpcallLowCell();

        /// <summary>Where the live part of the exception stack starts (ExceptionStackTop: no upcall
        /// is live). The entry code sets the mark to each upcall's save area and every resume to
        /// the rsp it resumes: live frames are at or above the code that runs on that stack.</summary>
        public static ulong LiveExceptionStackLow
        {
            get
            {
                ulong* cell = UpcallLowCell();
                if ((KernelTables.PageEntry((ulong)cell) & 1) == 0) return Layout.ExceptionStackTop;    // no exception stack
                ulong low = *cell;
                if (low < Layout.ExceptionStackBase || low >= Layout.ExceptionStackTop) return Layout.ExceptionStackTop;
                low &= ~7UL;
                return low - RedZone > Layout.ExceptionStackBase ? low - RedZone : Layout.ExceptionStackBase;
            }
        }

        [RuntimeImport("exo_gc_collect")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void SpillAndCollect();

        /// <summary>mode: null (on), "stress" or "stress-all", "verbose" or "off". Precondition: modules initialised.</summary>
        public static void Initialize(nint* modulesStart, nint* modulesEnd, string mode)
        {
            if (mode == "off") return;
            bool stress = mode == "stress" || mode == "stress-all";
            s_verbose = mode == "verbose";
            s_rootLow = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxRoots * 8);
            s_rootHigh = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxRoots * 8);
            GarbageCollector.Initialize(modulesStart, modulesEnd, 4096);
            Memory.PrepareRelease();
            s_enabled = true;
            GlobalHeap.SetCollector(&CollectHere, stress ? StressInterval : 0);
            GlobalHeap.SetGrowthPolicy(GrowthMinimum, GrowthPercent);
            if (stress) Exceptions.CollectAtEveryUpcall();
        }

        /// <summary>Collections made at an upcall under gc=stress.</summary>
        public static ulong UpcallCollections;

        /// <summary>gc=stress: a collection as an upcall enters ExOS, before its handler runs (on the
        /// exception stack, the interrupted code's registers in the frame). Not inside the heap; not
        /// at a write fault (after a fork it may be a copy-on-write fault, which must be served
        /// before anything writes the image's data, as a collection does); not when the upcall
        /// interrupted a handler (one sharing or copying pages for a fork: a collection there
        /// writes pages in transition).</summary>
        internal static void AtUpcall(ExceptionFrame* frame)
        {
            if (!s_enabled || GlobalHeap.Busy || (frame->Vector == 14 && (frame->ErrorCode & 2) != 0) || Layout.OnExceptionStack(frame->Registers.Rsp)) return;
            UpcallCollections++;
            GlobalHeap.Collect();
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

        /// <summary>Below an rsp that code may still use (System V's red zone; the kernel leaves it too).</summary>
        private const ulong RedZone = 128;

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
            // On the exception stack, the code the outermost upcall interrupted stopped at the rsp
            // its frame (the kernel's first, at the top) holds: its stack is live from there up.
            ulong interrupted = currentLow == Layout.ExceptionStackBase ? OutermostFrame->Registers.Rsp : 0;
            AddStack(mainLow, mainHigh, currentLow, interrupted, Threads.SavedRsp(0));
            // Off the exception stack: its live part only (none unless a handler left it).
            if (currentLow != Layout.ExceptionStackBase) AddMapped(LiveExceptionStackLow, Layout.ExceptionStackTop, currentLow);
            // A finished thread's stack is skipped: its stale words could only keep garbage alive.
            int thread = 0;
            for (ulong stack = threadsLow; stack < threadsHigh; stack += Layout.ThreadStackSize, thread++)
                if (Threads.IsAlive(thread)) AddStack(stack, stack + Layout.ThreadStackSize, currentLow, interrupted, Threads.SavedRsp(thread));
            Threads.AddRoots();
            for (int i = 0; i < s_roots; i++) GarbageCollector.AddRoots((ulong*)s_rootLow[i], (ulong*)s_rootHigh[i]);
            GarbageCollector.CollectFromRoots();
            // Memory back to the kernel once more is free than the next collection's budget,
            // keeping that (the next allocations would map it again).
            nuint keep = GarbageCollector.LastLiveBytes / 100 * GrowthPercent + GrowthMinimum;
            if (GlobalHeap.FreeBytes > keep) ReleasedBytes += GlobalHeap.ReleaseEmptyRegions(&Memory.ReleaseRegion, keep);
            if (s_verbose) Report();
        }

        /// <summary>The first upcall's frame, where the kernel puts it: at the top of the exception stack.</summary>
        private static ExceptionFrame* OutermostFrame => (ExceptionFrame*)((Layout.ExceptionStackTop - (ulong)sizeof(ExceptionFrame)) & ~63UL);

        /// <summary>A stack that is not the current one, from the rsp its code stopped at when that is
        /// known (interrupted by the outermost upcall, or a thread's saved rsp), else every mapped page.</summary>
        private static void AddStack(ulong low, ulong high, ulong currentLow, ulong interrupted, ulong saved)
        {
            if (low == currentLow) return;
            ulong stopped = interrupted > low && interrupted <= high ? interrupted : saved > low && saved <= high ? saved : 0;
            if (stopped != 0) low = stopped - RedZone > low ? (stopped - RedZone) & ~7UL : low;
            AddMapped(low, high, currentLow);
        }

        /// <summary>The mapped pages of [low, high), unless it is the current stack (scanned from rsp).</summary>
        private static void AddMapped(ulong low, ulong high, ulong currentLow)
        {
            if (low == currentLow || low >= high) return;
            for (ulong page = low & ~(PageSize - 1); page < high; page += PageSize)
            {
                if ((KernelTables.PageEntry(page) & 1) == 0) continue;
                ulong start = page < low ? low : page, end = page + PageSize;
                while (end < high && (KernelTables.PageEntry(end) & 1) != 0) end += PageSize;
                GarbageCollector.AddRoots((ulong*)start, (ulong*)end);
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
