// The reverse map of one address space: for every user leaf entry, which frame it maps, kept
// by AddressSpace in step with the entries themselves, so "every mapping of frame F here" is
// a walk of F's own records (cost: F's mappings) and no mapping can be missed or miscounted.
// Records { page, frame } are chained per frame (doubly linked); two open-addressing indexes
// (linear probing, backward-shift deletion, keys read through the records) find a page's
// record and a frame's first record. 40 bytes per mapping; grows by doubling (Reserve).
// Missing: shrinking after a space unmaps most of its pages.
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace ExoSharp.Kernel.Core
{
    internal sealed unsafe class ReverseMap
    {
        private struct Record
        {
            public ulong Page;      // the user address (0: a free record)
            public ulong Frame;
            public int Next, Prev;  // the same frame's other records (-1: none); Next chains free ones
        }

        private const int Empty = -1;
        private Record* _records;
        private int _capacity, _count, _free = Empty;
        private int* _byPage, _byFrame;     // 2 * capacity entries each: record indexes or Empty
        private int _mask;

        public int Count => _count;

        /// <summary>Makes room for more records so that the next `more` Adds cannot fail;
        /// false (nothing changed) when the kernel heap cannot grow without the frame reserve.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public bool Reserve(int more) => _count + more <= _capacity || Grow(more);

        /// <summary>Reserve's growing half: a bigger table, the records moved over.</summary>
        private bool Grow(int more)
        {
            int capacity = _capacity == 0 ? 64 : _capacity;
            while (capacity < _count + more) capacity *= 2;
            ulong bytes = (ulong)capacity * (ulong)sizeof(Record) + 4UL * (ulong)capacity * sizeof(int);
            if (bytes > (ulong)GlobalHeap.FreeBytes && !Memory.EnvironmentMayTake(bytes / 4096 + 2)) return false;
            Record* records = (Record*)GlobalHeap.Allocate((nuint)(capacity * sizeof(Record)));
            int* byPage = (int*)GlobalHeap.Allocate((nuint)(2 * capacity * sizeof(int)));
            int* byFrame = (int*)GlobalHeap.Allocate((nuint)(2 * capacity * sizeof(int)));
            if (records == null || byPage == null || byFrame == null)
            {
                if (records != null) GlobalHeap.Free(records);
                if (byPage != null) GlobalHeap.Free(byPage);
                if (byFrame != null) GlobalHeap.Free(byFrame);
                return false;
            }
            if (_records != null) System.Buffer.MemoryCopy(_records, records, (long)capacity * sizeof(Record), (long)_capacity * sizeof(Record));
            for (int i = _capacity; i < capacity; i++)
            {
                records[i].Page = 0;
                records[i].Next = i + 1 < capacity ? i + 1 : _free;
            }
            if (_capacity < capacity) _free = _capacity;
            Free();
            _records = records;
            _byPage = byPage;
            _byFrame = byFrame;
            _capacity = capacity;
            _mask = 2 * capacity - 1;
            for (int i = 0; i <= _mask; i++) _byPage[i] = _byFrame[i] = Empty;
            for (int i = 0; i < _capacity; i++)
            {
                if (_records[i].Page == 0) continue;
                Place(_byPage, Hash(_records[i].Page), i);
                if (_records[i].Prev == Empty) Place(_byFrame, Hash(_records[i].Frame), i);
            }
            return true;
        }

        /// <summary>Records that page maps frame. Precondition: Reserve made room; no record for page.</summary>
        public void Add(ulong page, ulong frame)
        {
            int r = _free;
            if (r == Empty) Panic.Halt("ReverseMap.Add without Reserve");
            _free = _records[r].Next;
            _records[r].Page = page;
            _records[r].Frame = frame;
            _records[r].Prev = Empty;
            int headSlot = FindFrameSlot(frame);
            if (headSlot < 0)
            {
                _records[r].Next = Empty;
                Place(_byFrame, Hash(frame), r);
            }
            else
            {
                int head = _byFrame[headSlot];
                _records[r].Next = head;
                _records[head].Prev = r;
                _byFrame[headSlot] = r;
            }
            Place(_byPage, Hash(page), r);
            _count++;
        }

        /// <summary>Forgets page's record (nothing when it has none).</summary>
        public void Remove(ulong page)
        {
            int slot = FindPageSlot(page);
            if (slot < 0) return;
            int r = _byPage[slot];
            Delete(_byPage, slot, true);
            ref Record rec = ref _records[r];
            if (rec.Prev != Empty) _records[rec.Prev].Next = rec.Next;
            else
            {
                int headSlot = FindFrameSlot(rec.Frame);
                if (rec.Next != Empty) _byFrame[headSlot] = rec.Next;
                else Delete(_byFrame, headSlot, false);
            }
            if (rec.Next != Empty) _records[rec.Next].Prev = rec.Prev;
            rec.Page = 0;
            rec.Next = _free;
            _free = r;
            _count--;
        }

        /// <summary>A page that maps frame, or 0 when none does.</summary>
        public ulong AnyPageOf(ulong frame)
        {
            int slot = FindFrameSlot(frame);
            return slot < 0 ? 0 : _records[_byFrame[slot]].Page;
        }

        /// <summary>The frame page maps according to the records, or ulong.MaxValue (self-checks).</summary>
        public ulong FrameAt(ulong page)
        {
            int slot = FindPageSlot(page);
            return slot < 0 ? ulong.MaxValue : _records[_byPage[slot]].Frame;
        }

        /// <summary>Every record, for the kernel's self-check: page and frame of record i (Page 0: unused).</summary>
        public int Capacity => _capacity;
        public ulong PageOf(int i) => _records[i].Page;
        public ulong FrameOf(int i) => _records[i].Frame;

        public void Free()
        {
            if (_records != null) GlobalHeap.Free(_records);
            if (_byPage != null) GlobalHeap.Free(_byPage);
            if (_byFrame != null) GlobalHeap.Free(_byFrame);
            _records = null;
            _byPage = _byFrame = null;
        }

        private int Hash(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & _mask;

        private void Place(int* index, int at, int record)
        {
            while (index[at] != Empty) at = (at + 1) & _mask;
            index[at] = record;
        }

        private int FindPageSlot(ulong page)
        {
            if (_capacity == 0) return -1;
            for (int at = Hash(page); _byPage[at] != Empty; at = (at + 1) & _mask)
                if (_records[_byPage[at]].Page == page) return at;
            return -1;
        }

        private int FindFrameSlot(ulong frame)
        {
            if (_capacity == 0) return -1;
            for (int at = Hash(frame); _byFrame[at] != Empty; at = (at + 1) & _mask)
                if (_records[_byFrame[at]].Frame == frame) return at;
            return -1;
        }

        /// <summary>Empties index slot `at`, shifting back the entries after it that probed past it.</summary>
        private void Delete(int* index, int at, bool byPage)
        {
            int hole = at;
            for (int j = (hole + 1) & _mask; index[j] != Empty; j = (j + 1) & _mask)
            {
                Record* rec = _records + index[j];
                int home = Hash(byPage ? rec->Page : rec->Frame);
                // j's entry may move to the hole if its home is not cyclically within (hole, j]
                bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
                if (stays) continue;
                index[hole] = index[j];
                hole = j;
            }
            index[hole] = Empty;
        }
    }
}
