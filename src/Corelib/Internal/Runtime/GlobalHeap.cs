// The one heap of a program (kernel or user): objects and NativeMemory come from here.
// When it runs dry it asks the platform for more memory through ExoSharpMoreCore
// (kernel: physical frames; user program: its own arena). Callers keep interrupts off.
// A platform may install a collector (the kernel: Kernel/Core/Collector.cs; user programs:
// ExOS's Collector.cs); it is then called before the heap grows, when enough has been allocated
// since the last collection (a quarter of the heap, or, with SetGrowthPolicy, a share of the
// bytes live after the last collection). Busy tells a user-level thread switcher to wait.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static unsafe class GlobalHeap
    {
        private static FreeListHeap s_heap;
        private static delegate*<void> s_collect;
        private static bool s_collecting;
        private static nuint s_allocatedSinceCollection;
        private static uint s_stressInterval, s_stressCount;
        private static nuint s_liveAfterCollection, s_growthMinimum;
        private static uint s_growthPercent;

        [RuntimeImport("ExoSharpMoreCore")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void* MoreCore(nuint minimumBytes, nuint* grantedBytes);

        // runtime.asm's RhpNewFast bumps objects from the published area ({next, end}; null: its
        // fast path is off) inside its own busy count.
        [RuntimeImport("exo_object_area_publish")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void PublishArea(byte** area);

        [RuntimeImport("exo_object_area_busy")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int AreaBusy();

        private static bool s_areaPublished;

        [RuntimeImport("ExoSharpUnhandledException")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void PlatformUnhandledException(object exception);

        public static nuint FreeBytes => s_heap.FreeBytes;
        public static nuint TotalBytes => s_heap.TotalBytes;
        public static nuint InUseBytes => s_heap.TotalBytes - s_heap.FreeBytes;

        /// <summary>Bytes allocated since the last collection (or since the start).</summary>
        public static nuint AllocatedSinceCollection => s_allocatedSinceCollection + s_heap.ObjectBytesAllocated - s_objectBytesAtCollection;
        private static nuint s_objectBytesAtCollection;

        internal static ref FreeListHeap Heap => ref s_heap;

        /// <summary>Installs the platform's collector (it must end in GarbageCollector.Collect).
        /// stressInterval > 0 also collects at every stressInterval-th object allocation.
        /// Precondition: modules are initialised.</summary>
        public static void SetCollector(delegate*<void> collect, uint stressInterval)
        {
            s_collect = collect;
            s_stressInterval = stressInterval;
            s_areaPublished = false;                                // (re)published by the next slow allocation
            PublishArea(null);
        }

        /// <summary>Collect rather than grow once percentOfLive percent of the bytes in use after the
        /// last collection (at least minimumBytes) have been allocated since it: the heap stays
        /// near (1 + percentOfLive / 100) times the live bytes. Without it (the kernel): a quarter
        /// of the heap, at least 1 MiB.</summary>
        public static void SetGrowthPolicy(nuint minimumBytes, uint percentOfLive)
        {
            s_growthMinimum = minimumBytes;
            s_growthPercent = percentOfLive;
        }

        public static bool CollectorInstalled => s_collect != null;

        /// <summary>Inside an allocation, a free or a collection: a user-level thread switch must
        /// wait (the heap is not reentrant), and a collection cannot start.</summary>
        public static bool Busy => s_busy != 0 || AreaBusy() != 0;
        private static int s_busy;

        /// <summary>Gives the platform back regions a collection left wholly free (release unmaps
        /// them), keeping keepFree bytes free for what comes next; the bytes released.</summary>
        public static nuint ReleaseEmptyRegions(delegate*<void*, nuint, void> release, nuint keepFree)
        {
            s_busy++;
            nuint released = s_heap.ReleaseEmptyRegions(release, keepFree);
            s_busy--;
            return released;
        }

        /// <summary>Runs the platform's collector now (no-op without one, or while collecting).</summary>
        public static void Collect()
        {
            if (s_collect == null || s_collecting) return;
            s_busy++;
            s_collecting = true;
            s_heap.RetireArea();
            s_collect();
            s_collecting = false;
            s_allocatedSinceCollection = 0;
            s_objectBytesAtCollection = s_heap.ObjectBytesAllocated;
            s_liveAfterCollection = InUseBytes;
            s_busy--;
        }

        public static void* Allocate(nuint size)
        {
            s_busy++;
            void* p = AllocateLocked(size);
            s_busy--;
            return p;
        }

        private static void* AllocateLocked(nuint size, bool isObject = false)
        {
            void* p = isObject ? s_heap.AllocateObject(size) : s_heap.Allocate(size);
            if (p != null)
            {
                if (!isObject) s_allocatedSinceCollection += size;
                return p;
            }
            // Collect rather than grow once enough has been allocated since the last collection
            // (CollectionDue): the heap stays bounded by a factor of the live bytes, and a heap
            // that is mostly live is not collected at every allocation.
            if (s_collect != null && !s_collecting && (CollectionDue || s_stressInterval != 0))
            {
                Collect();
                p = isObject ? s_heap.AllocateObject(size) : s_heap.Allocate(size);
                if (p != null)
                {
                    if (!isObject) s_allocatedSinceCollection += size;
                    return p;
                }
            }
            nuint granted;
            void* region = MoreCore(size + 64, &granted);
            if (region == null || !s_heap.AddRegion(region, granted))
            {
                // Out of memory: a last collection before giving up.
                if (s_collect == null || s_collecting) return null;
                Collect();
                return isObject ? s_heap.AllocateObject(size) : s_heap.Allocate(size);
            }
            p = isObject ? s_heap.AllocateObject(size) : s_heap.Allocate(size);
            if (p != null && !isObject) s_allocatedSinceCollection += size;
            return p;
        }

        private static bool CollectionDue
        {
            get
            {
                nuint threshold;
                if (s_growthPercent != 0)
                {
                    threshold = s_liveAfterCollection / 100 * s_growthPercent;
                    if (threshold < s_growthMinimum) threshold = s_growthMinimum;
                }
                else
                {
                    threshold = s_heap.TotalBytes / 4;
                    if (threshold < (1u << 20)) threshold = 1u << 20;
                }
                return AllocatedSinceCollection >= threshold;
            }
        }

        /// <summary>Allocates an object of size bytes, zeroed, its MethodTable stored before the
        /// heap stops being busy (a collection that found the object without one could not trace
        /// it): the block is marked as an object, so a collector may free it once unreachable.
        /// Small objects are bumped from the heap's allocation area.</summary>
        internal static void* AllocateObject(MethodTable* type, nuint size)
        {
            if (s_stressInterval != 0 && ++s_stressCount >= s_stressInterval)
            {
                s_stressCount = 0;
                Collect();
            }
            s_busy++;
            if (!s_areaPublished)
            {
                // The assembly fast path: not under gc=stress (it counts every object allocation).
                PublishArea(s_stressInterval == 0 && s_heap.AreaWordsAdjacent ? s_heap.AreaAddress : null);
                s_areaPublished = true;
            }
            void* p = s_heap.AllocateObject(size);
            if (p == null) p = AllocateLocked(size, true);
            if (p != null) *(MethodTable**)p = type;
            s_busy--;
            return p;
        }

        /// <summary>AllocateObject's fast path (no call, no collection): zeroed memory from the
        /// heap's allocation area, or null (then AllocateObject). Never under gc=stress, which
        /// counts every object allocation.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void* TryAllocateObjectFast(MethodTable* type, nuint size)
        {
            if (s_stressInterval != 0) return null;
            s_busy++;
            void* p = s_heap.BumpObject(size);
            if (p != null) *(MethodTable**)p = type;
            s_busy--;
            return p;
        }

        public static void Free(void* p)
        {
            s_busy++;
            s_heap.Free(p);
            s_busy--;
        }

        /// <summary>Called when even the OutOfMemoryException cannot be allocated: null means out of memory.</summary>
        internal static void ReportOutOfMemory() => PlatformUnhandledException(null);
    }
}
