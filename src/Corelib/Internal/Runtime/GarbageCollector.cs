// Stop-the-world, non-moving mark-sweep over GlobalHeap's object blocks (docs/gc.md). Roots:
// GC statics (module section 201), frozen objects (section 206, scanned, never freed) and word
// ranges the platform scans conservatively (its stacks and spilled registers): any word that
// points into an object block, interior pointers included, keeps it. Objects are traced
// precisely with their GCDesc. NativeMemory blocks are neither freed nor scanned. Allocates
// nothing while marking; callers keep interrupts off. Weak references (WeakHandles) are cleared
// when their targets die. Missing: finalizers.
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static unsafe class GarbageCollector
    {
        private const int GCStaticRegion = 201;
        private const int FrozenObjectRegion = 206;
        private const int MarkStackCapacity = 16384;

        private static nint* s_modulesStart, s_modulesEnd;
        private static ulong* s_candidates;
        private static int s_candidateCapacity, s_candidateCount;
        private static byte** s_markStack;
        private static int s_markCount;
        private static bool s_overflow, s_rootsLost;
        private static nuint s_low, s_high;

        /// <summary>Statistics of the last collection.</summary>
        public static nuint LastFreedBytes, LastLiveBytes;
        public static ulong Collections, BadReferences, FrozenObjects;
        /// <summary>Collections abandoned because their roots did not fit in memory.</summary>
        public static ulong Skipped;

        /// <summary>Precondition: modules initialised, the heap works. maxRootWords: how many
        /// candidate words the buffer holds at first (it grows when a collection needs more).</summary>
        public static void Initialize(nint* modulesStart, nint* modulesEnd, int maxRootWords)
        {
            s_modulesStart = modulesStart;
            s_modulesEnd = modulesEnd;
            s_candidateCapacity = maxRootWords;
            s_candidates = (ulong*)GlobalHeap.Allocate((nuint)maxRootWords * 8);
            s_markStack = (byte**)GlobalHeap.Allocate(MarkStackCapacity * 8);
        }

        /// <summary>Collects, treating the words in [low1, high1) and [low2, high2) (either may be
        /// empty) as possible references. Precondition: nothing else runs; the callers' registers
        /// that may hold references are inside one of the ranges.</summary>
        public static void Collect(ulong* low1, ulong* high1, ulong* low2, ulong* high2)
        {
            BeginRoots();
            AddRoots(low1, high1);
            AddRoots(low2, high2);
            CollectFromRoots();
        }

        /// <summary>Starts a collection whose conservative roots the platform then gives range by
        /// range (AddRoots) before CollectFromRoots. Precondition: nothing else runs.</summary>
        public static void BeginRoots()
        {
            ref FreeListHeap heap = ref GlobalHeap.Heap;
            s_low = heap.Low;
            s_high = heap.High;
            s_candidateCount = 0;
            s_rootsLost = false;
        }

        /// <summary>Every word in [low, high) that points into the heap is a candidate reference.
        /// The buffer grows when full (before any marking, so the new native block is never
        /// swept); when even that fails, the collection is abandoned, never run on partial roots.</summary>
        public static void AddRoots(ulong* low, ulong* high)
        {
            for (ulong* p = low; p < high; p++)
            {
                ulong word = *p;
                if (word < s_low || word >= s_high) continue;
                if (s_candidateCount == s_candidateCapacity && !GrowCandidates()) return;
                s_candidates[s_candidateCount++] = word;
            }
        }

        private static bool GrowCandidates()
        {
            int capacity = s_candidateCapacity * 2;
            ulong* bigger = (ulong*)GlobalHeap.Allocate((nuint)capacity * 8);
            if (bigger == null)
            {
                s_rootsLost = true;
                return false;
            }
            for (int i = 0; i < s_candidateCount; i++) bigger[i] = s_candidates[i];
            GlobalHeap.Free(s_candidates);
            s_candidates = bigger;
            s_candidateCapacity = capacity;
            return true;
        }

        /// <summary>Marks from the roots given since BeginRoots, clears the weak references whose
        /// targets died (WeakHandles) and sweeps. Abandoned (counted in Skipped) when some roots
        /// could not be recorded.</summary>
        public static void CollectFromRoots()
        {
            if (s_rootsLost)
            {
                Skipped++;
                return;
            }
            ref FreeListHeap heap = ref GlobalHeap.Heap;
            s_markCount = 0;
            s_overflow = false;
            Sort(s_candidates, s_candidateCount);
            MarkCandidates(ref heap);
            MarkModuleRoots();
            Drain();
            while (s_overflow) RescanMarked(ref heap);
            WeakHandles.ClearDead(s_low, s_high);
            nuint before = heap.TotalBytes - heap.FreeBytes;
            LastFreedBytes = heap.Sweep();
            LastLiveBytes = before - LastFreedBytes;
            Collections++;
        }

        /// <summary>Heapsort (no recursion, no allocation).</summary>
        private static void Sort(ulong* a, int n)
        {
            for (int start = n / 2 - 1; start >= 0; start--) SiftDown(a, start, n);
            for (int end = n - 1; end > 0; end--)
            {
                ulong t = a[0]; a[0] = a[end]; a[end] = t;
                SiftDown(a, 0, end);
            }
        }

        private static void SiftDown(ulong* a, int root, int n)
        {
            while (true)
            {
                int child = 2 * root + 1;
                if (child >= n) return;
                if (child + 1 < n && a[child + 1] > a[child]) child++;
                if (a[root] >= a[child]) return;
                ulong t = a[root]; a[root] = a[child]; a[child] = t;
                root = child;
            }
        }

        /// <summary>One walk over every block, merged with the sorted candidates: a candidate
        /// anywhere in an object block (or just past the previous object block) marks it.</summary>
        private static void MarkCandidates(ref FreeListHeap heap)
        {
            int n = s_candidateCount;
            if (n == 0) return;
            for (byte* region = heap.FirstRegion; region != null; region = FreeListHeap.NextRegion(region))
            {
                byte* first = FreeListHeap.FirstBlock(region);
                int lo = 0, hi = n;
                while (lo < hi)
                {
                    int mid = (lo + hi) / 2;
                    if (s_candidates[mid] < (ulong)first) lo = mid + 1; else hi = mid;
                }
                int i = lo;
                // Only as far as this region's last candidate: the rest of the heap is not walked.
                byte* regionEnd = FreeListHeap.RegionEnd(region);
                int stop = i;
                while (stop < n && s_candidates[stop] <= (ulong)regionEnd) stop++;
                byte* previous = null;
                for (byte* block = first; i < stop; )
                {
                    nuint size = FreeListHeap.BlockSize(block);
                    if (size == 0) break;
                    byte* end = block + size;
                    bool isObject = FreeListHeap.IsInUse(block) && FreeListHeap.HasFlag(block, FreeListHeap.ObjectFlag);
                    while (i < stop && s_candidates[i] < (ulong)end)
                    {
                        if (isObject) MarkBlock(block);
                        if (s_candidates[i] == (ulong)block && previous != null) MarkBlock(previous);
                        i++;
                    }
                    previous = isObject ? block : null;
                    block = end;
                }
                // A candidate exactly at the fence: the end of the region's last object.
                if (i < stop && s_candidates[i] == (ulong)regionEnd - 16 && previous != null) MarkBlock(previous);
            }
        }

        private static void MarkModuleRoots()
        {
            for (nint* module = s_modulesStart; module < s_modulesEnd; module++)
            {
                byte* header = (byte*)*module;
                if (header == null) continue;
                int sections = *(ushort*)(header + 12);
                int entrySize = header[14];
                for (int i = 0; i < sections; i++)
                {
                    byte* row = header + 16 + i * entrySize;
                    int id = *(int*)row;
                    byte* start = *(byte**)(row + 8);
                    byte* end = *(byte**)(row + 16);
                    if (id == GCStaticRegion)
                    {
                        for (byte* entry = start; entry < end; entry += sizeof(int))
                        {
                            nint* cell = (nint*)RelativePointer.Read(entry);
                            if ((*cell & 1) != 0) continue;   // not initialised: a MethodTable, not an object
                            MarkReference((byte*)*cell);
                        }
                    }
                    else if (id == FrozenObjectRegion) ScanFrozen(start, end);
                }
            }
        }

        /// <summary>Frozen objects: a run of [8-byte header][object], 8-byte aligned.</summary>
        private static void ScanFrozen(byte* start, byte* end)
        {
            ulong count = 0;
            for (byte* p = start; p + 16 <= end; )
            {
                byte* obj = p + 8;
                MethodTable* type = *(MethodTable**)obj;
                if (type == null) { p += 8; continue; }
                nuint size = ObjectSize(obj, type);
                ScanObject(obj, type, size);
                p += (size + 7) & ~(nuint)7;
                count++;
            }
            FrozenObjects = count;
        }

        private static nuint ObjectSize(byte* obj, MethodTable* type)
        {
            nuint size = type->BaseSize;
            if (type->HasComponentSize) size += (nuint)type->ComponentSize * *(uint*)(obj + 8);
            return size;
        }

        private static void MarkBlock(byte* block)
        {
            if (FreeListHeap.HasFlag(block, FreeListHeap.MarkFlag)) return;
            FreeListHeap.SetFlag(block, FreeListHeap.MarkFlag);
            Push(FreeListHeap.PayloadOf(block));
        }

        private static void Push(byte* obj)
        {
            if (s_markCount == MarkStackCapacity) { s_overflow = true; return; }
            s_markStack[s_markCount++] = obj;
        }

        /// <summary>A precise reference: null, a frozen object (outside the heap) or a heap object.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void MarkReference(byte* target)
        {
            if ((nuint)target < s_low || (nuint)target >= s_high) return;
            byte* block = FreeListHeap.BlockOf(target);
            if (((nuint)target & 15) != 0 || !FreeListHeap.IsInUse(block) || !FreeListHeap.HasFlag(block, FreeListHeap.ObjectFlag))
            {
                BadReferences++;   // not an object block: a bug somewhere; never followed
                return;
            }
            MarkBlock(block);
        }

        /// <summary>Traces the mark stack empty: ScanObject's walk of the GCDesc with the marking
        /// inlined and the stack in locals (the collector's inner loop).</summary>
        private static void Drain()
        {
            byte** stack = s_markStack;
            int count = s_markCount;
            nuint low = s_low, span = s_high - s_low;
            while (count > 0)
            {
                byte* obj = stack[--count];
                MethodTable* type = *(MethodTable**)obj;
                // No MethodTable yet: an allocation a thread switch interrupted (GlobalHeap sets
                // it inside the busy count, so only a stale candidate gets here); zeroed, nothing to trace.
                if (type == null || !type->HasPointers) continue;   // pushed by MarkBlock
                nint series = *(nint*)((byte*)type - 8);
                if (series <= 0)
                {
                    s_markCount = count;
                    ScanObject(obj, type, ObjectSize(obj, type));
                    count = s_markCount;
                    continue;
                }
                nint size = (nint)ObjectSize(obj, type);
                byte* item = (byte*)type - 24;
                for (; series > 0; series--, item -= 16)
                {
                    byte** p = (byte**)(obj + *(nint*)(item + 8));
                    byte** stop = (byte**)((byte*)p + *(nint*)item + size);
                    for (; p < stop; p++)
                    {
                        byte* target = *p;
                        if ((nuint)target - low >= span) continue;        // null, frozen or not the heap's
                        nuint* header = (nuint*)(target - 8);
                        nuint word = *header;
                        if (((nuint)target & 15) != 0 || (word & (FreeListHeap.InUseFlag | FreeListHeap.ObjectFlag)) != (FreeListHeap.InUseFlag | FreeListHeap.ObjectFlag))
                        {
                            BadReferences++;
                            continue;
                        }
                        if ((word & FreeListHeap.MarkFlag) != 0) continue;
                        *header = word | FreeListHeap.MarkFlag;
                        if (!(*(MethodTable**)target)->HasPointers) continue;
                        if (count == MarkStackCapacity) s_overflow = true;
                        else stack[count++] = target;
                    }
                }
            }
            s_markCount = 0;
        }

        /// <summary>After a mark-stack overflow: every marked object is traced again.</summary>
        private static void RescanMarked(ref FreeListHeap heap)
        {
            s_overflow = false;
            for (byte* region = heap.FirstRegion; region != null; region = FreeListHeap.NextRegion(region))
            {
                for (byte* block = FreeListHeap.FirstBlock(region); FreeListHeap.BlockSize(block) != 0; block += FreeListHeap.BlockSize(block))
                {
                    if (!FreeListHeap.IsInUse(block) || !FreeListHeap.HasFlag(block, FreeListHeap.MarkFlag)) continue;
                    Push(FreeListHeap.PayloadOf(block));
                    Drain();
                }
            }
        }

        /// <summary>Marks what the object's reference fields point to (gc/gcdesc.h's go_through_object).</summary>
        private static void ScanObject(byte* obj, MethodTable* type, nuint size)
        {
            if (!type->HasPointers) return;
            nint series = *(nint*)((byte*)type - 8);
            if (series > 0)
            {
                for (nint s = 0; s < series; s++)
                {
                    byte* item = (byte*)type - 24 - 16 * s;
                    nint seriesSize = *(nint*)item;
                    nint offset = *(nint*)(item + 8);
                    byte** p = (byte**)(obj + offset);
                    byte** stop = (byte**)((byte*)p + seriesSize + (nint)size);
                    for (; p < stop; p++) MarkReference(*p);
                }
            }
            else
            {
                // Arrays of structs with references: {u32 count, u32 skip} items repeated per element.
                byte** p = (byte**)(obj + *(nint*)((byte*)type - 16));
                byte** stop = (byte**)(obj + size - 8);
                while (p < stop)
                {
                    for (nint i = 0; i > series; i--)
                    {
                        uint* item = (uint*)((byte*)type - 24 + 8 * i);
                        uint count = item[0], skip = item[1];
                        for (uint k = 0; k < count; k++) MarkReference(*p++);
                        p = (byte**)((byte*)p + skip);
                    }
                }
            }
        }
    }
}
