// The table behind weak references (System.WeakReference): entries {target, owner} in native
// memory, which the collector never scans, so neither word keeps anything alive. After marking
// (GarbageCollector.CollectFromRoots) an entry whose owner died is freed and one whose target
// died is cleared. Targets outside the heap (frozen objects) never die. Single-threaded, like
// the heap. Missing: long weak references (resurrection: there are no finalizers).
namespace Internal.Runtime
{
    public static unsafe class WeakHandles
    {
        private struct Entry
        {
            public ulong Target;        // the object's address, 0 when dead or cleared
            public ulong Owner;         // the WeakReference's address; 0: a free entry
        }

        private static Entry* s_entries;
        private static int s_capacity, s_used, s_free = -1;

        /// <summary>Entries in use.</summary>
        public static int Count => s_used;

        /// <summary>A new entry for owner (a heap object) naming target (null allowed); its index,
        /// or -1 when out of memory.</summary>
        public static int Allocate(ulong owner, ulong target)
        {
            if (s_free < 0 && !Grow()) return -1;
            int index = s_free;
            s_free = (int)s_entries[index].Target;
            s_entries[index].Target = target;
            s_entries[index].Owner = owner;
            s_used++;
            return index;
        }

        public static ulong Target(int index) => s_entries[index].Target;

        public static void SetTarget(int index, ulong target) => s_entries[index].Target = target;

        private static bool Grow()
        {
            int capacity = s_capacity == 0 ? 64 : s_capacity * 2;
            var bigger = (Entry*)GlobalHeap.Allocate((nuint)(capacity * sizeof(Entry)));
            if (bigger == null) return false;
            for (int i = 0; i < s_capacity; i++) bigger[i] = s_entries[i];
            for (int i = capacity - 1; i >= s_capacity; i--)
            {
                bigger[i].Owner = 0;
                bigger[i].Target = (ulong)s_free;       // a free entry's Target links the free list
                s_free = i;
            }
            if (s_entries != null) GlobalHeap.Free(s_entries);
            s_entries = bigger;
            s_capacity = capacity;
            return true;
        }

        /// <summary>After marking, before the sweep: entries of dead owners are freed, dead targets
        /// cleared. [low, high): the heap's bounds. Allocates nothing.</summary>
        internal static void ClearDead(nuint low, nuint high)
        {
            for (int i = 0; i < s_capacity; i++)
            {
                Entry* e = s_entries + i;
                if (e->Owner == 0) continue;
                if (!Alive(e->Owner, low, high))
                {
                    e->Owner = 0;
                    e->Target = (ulong)s_free;
                    s_free = i;
                    s_used--;
                }
                else if (e->Target != 0 && !Alive(e->Target, low, high)) e->Target = 0;
            }
        }

        private static bool Alive(ulong address, nuint low, nuint high)
        {
            if (address < low || address >= high) return true;
            byte* block = FreeListHeap.BlockOf((void*)address);
            return FreeListHeap.HasFlag(block, FreeListHeap.MarkFlag);
        }
    }
}
