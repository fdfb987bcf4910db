// The reverse map of one address space: for every user leaf entry, which frame it maps, kept
// by AddressSpace in step with the entries themselves, so "every mapping of frame F here" is
// a walk of F's own records (cost: F's mappings) and no mapping can be missed or miscounted.
// Records { page, frame } live in fixed chunks (they never move) and are chained per frame
// (doubly linked); two open-addressing indexes (linear probing, backward-shift deletion, keys
// read through the records) find a page's record and a frame's first record. Growing never
// stops the kernel for long: a bigger index pair is cleared a slice per Add, then the old
// pair's entries move over a few per Add or Remove, lookups trying both meanwhile, so every
// call costs a bounded amount whatever the space's size. About 40 bytes per mapping.
// Missing: shrinking after a space unmaps most of its pages.
using System.Runtime.CompilerServices;
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

        /// <summary>One pair of indexes: record numbers by page and by a frame's first record.</summary>
        private struct Index
        {
            public int* ByPage, ByFrame;    // Mask + 1 entries each: record numbers or Empty
            public int Mask;
            public int PageEntries, FrameEntries;
        }

        private const int Empty = -1;
        private const int ChunkShift = 7, ChunkRecords = 1 << ChunkShift;
        /// <summary>Index slots cleared, and old entries moved over, per Add while growing.</summary>
        private const int ClearPerAdd = 32, MovePerCall = 8;

        private Record** _chunks;
        private int _chunkCount, _directorySize;
        private int _count, _free = Empty;
        private Index _index;                   // the current pair (Mask 0 and null before the first Add)
        private Index _old;                     // the pair being emptied into _index (null ByPage: none)
        private Index _next;                    // the pair being cleared (null ByPage: none)
        private int _cleared, _moveAt;

        public int Count => _count;

        /// <summary>Records that exist (used or free), for the kernel's self-check.</summary>
        public int Capacity => _chunkCount << ChunkShift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Record* At(int r) => _chunks[r >> ChunkShift] + (r & (ChunkRecords - 1));

        /// <summary>Makes room so that the next `more` Adds cannot fail; false (nothing that
        /// matters changed) when the kernel heap cannot grow without the frame reserve. Work:
        /// proportional to more (at most a page table's 512 entries), never to the records
        /// already there, once the index is past SmallIndex slots.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Reserve(int more) => (_count + more <= Capacity && IndexRoomFor(more)) || Grow(more);

        /// <summary>An index this small grows at once when it must (bounded: about 10,000 instructions).</summary>
        private const int SmallIndex = 1024;

        /// <summary>The current index stays at most half full through `more` Adds, and a bigger
        /// one is on its way once it is an eighth full: clearing it and moving the old entries
        /// over, a slice per Add, ends before the current one is half full.</summary>
        private bool IndexRoomFor(int more) =>
            _index.ByPage != null && _count + more <= (_index.Mask + 1) / 2 &&
            (_next.ByPage != null || _old.ByPage != null || _count + more <= (_index.Mask + 1) / 8);

        private bool Grow(int more)
        {
            int chunks = (_count + more + ChunkRecords - 1) >> ChunkShift;
            while (_chunkCount < chunks)
                if (!AddChunk()) return false;
            if (_index.ByPage == null) return StartIndex(more);
            while (!IndexRoomFor(more))
            {
                if (_next.ByPage == null && _old.ByPage == null)
                {
                    if (!StartNextIndex()) return false;
                }
                else while (_next.ByPage != null || _old.ByPage != null) Step();   // small, or (never, by the rates) behind
            }
            return true;
        }

        private bool AddChunk()
        {
            if (_chunkCount == _directorySize)
            {
                int size = _directorySize == 0 ? 8 : 2 * _directorySize;
                if (!MayAllocate((ulong)size * 8)) return false;
                var directory = (Record**)GlobalHeap.Allocate((nuint)(size * sizeof(Record*)));
                if (directory == null) return false;
                for (int c = 0; c < _chunkCount; c++) directory[c] = _chunks[c];
                if (_chunks != null) GlobalHeap.Free(_chunks);
                _chunks = directory;
                _directorySize = size;
            }
            if (!MayAllocate((ulong)(ChunkRecords * sizeof(Record)))) return false;
            var chunk = (Record*)GlobalHeap.Allocate((nuint)(ChunkRecords * sizeof(Record)));
            if (chunk == null) return false;
            int first = _chunkCount << ChunkShift;
            for (int i = 0; i < ChunkRecords; i++)
            {
                chunk[i].Page = 0;
                chunk[i].Next = i + 1 < ChunkRecords ? first + i + 1 : _free;
            }
            _free = first;
            _chunks[_chunkCount++] = chunk;
            return true;
        }

        private static bool MayAllocate(ulong bytes) =>
            bytes <= (ulong)GlobalHeap.FreeBytes || Memory.EnvironmentMayTake(bytes / 4096 + 2);

        /// <summary>The first index pair, cleared at once (it is small: at most 8 * more slots,
        /// and Reserve's callers ask for at most a page table's 512 entries).</summary>
        private bool StartIndex(int more)
        {
            int slots = 256;
            while (slots < 8 * more) slots *= 2;
            if (!AllocateIndex(slots, out _index)) return false;
            Clear(_index, 0, slots);
            return true;
        }

        /// <summary>Allocates the next pair (twice the slots) to be cleared a slice per Add; an
        /// index of at most SmallIndex slots is cleared and filled at once.</summary>
        private bool StartNextIndex()
        {
            if (!AllocateIndex(2 * (_index.Mask + 1), out _next)) return false;
            _cleared = 0;
            if (_index.Mask + 1 <= SmallIndex)
                while (_next.ByPage != null || _old.ByPage != null) Step();
            return true;
        }

        private static bool AllocateIndex(int slots, out Index index)
        {
            index = default;
            ulong bytes = 2UL * (ulong)slots * sizeof(int);
            if (!MayAllocate(bytes)) return false;
            index.ByPage = (int*)GlobalHeap.Allocate((nuint)(slots * sizeof(int)));
            index.ByFrame = (int*)GlobalHeap.Allocate((nuint)(slots * sizeof(int)));
            if (index.ByPage == null || index.ByFrame == null)
            {
                FreeIndex(ref index);
                return false;
            }
            index.Mask = slots - 1;
            return true;
        }

        private static void FreeIndex(ref Index index)
        {
            if (index.ByPage != null) GlobalHeap.Free(index.ByPage);
            if (index.ByFrame != null) GlobalHeap.Free(index.ByFrame);
            index = default;
        }

        private static void Clear(Index index, int from, int to)
        {
            for (int i = from; i < to; i++) index.ByPage[i] = index.ByFrame[i] = Empty;
        }

        /// <summary>One slice of growing: clear part of the next pair (switching to it when done),
        /// or move a few entries of the old pair over (each slot looked at or entry moved is one
        /// of MovePerCall units).</summary>
        private void Step()
        {
            if (_next.ByPage != null)
            {
                int to = _cleared + ClearPerAdd;
                if (to > _next.Mask + 1) to = _next.Mask + 1;
                Clear(_next, _cleared, to);
                _cleared = to;
                if (_cleared == _next.Mask + 1)
                {
                    _old = _index;
                    _index = _next;
                    _next = default;
                    _moveAt = 0;
                }
                return;
            }
            for (int units = 0; _old.ByPage != null && units < MovePerCall; units++)
            {
                if (_old.PageEntries == 0 && _old.FrameEntries == 0)
                {
                    FreeIndex(ref _old);
                    return;
                }
                // Deleting at _moveAt shifts later entries back into it: look at it again. Slots
                // before _moveAt stay empty (nothing is placed in the old pair any more), so no
                // probe run wraps into them.
                int r = _old.ByPage[_moveAt];
                if (r != Empty)
                {
                    Delete(ref _old, true, _moveAt);
                    Place(ref _index, true, At(r)->Page, r);
                    continue;
                }
                r = _old.ByFrame[_moveAt];
                if (r != Empty)
                {
                    Delete(ref _old, false, _moveAt);
                    Place(ref _index, false, At(r)->Frame, r);
                    continue;
                }
                _moveAt = (_moveAt + 1) & _old.Mask;
            }
        }

        /// <summary>Records that page maps frame. Precondition: Reserve made room; no record for page.</summary>
        public void Add(ulong page, ulong frame)
        {
            int r = _free;
            if (r == Empty) Panic.Halt("ReverseMap.Add without Reserve");
            Step();
            Record* rec = At(r);
            _free = rec->Next;
            rec->Page = page;
            rec->Frame = frame;
            rec->Prev = Empty;
            if (FindFrame(frame, out bool inOld, out int headSlot))
            {
                ref Index holder = ref inOld ? ref _old : ref _index;
                int head = holder.ByFrame[headSlot];
                rec->Next = head;
                At(head)->Prev = r;
                holder.ByFrame[headSlot] = r;
            }
            else
            {
                rec->Next = Empty;
                Place(ref _index, false, frame, r);
            }
            Place(ref _index, true, page, r);
            _count++;
        }

        /// <summary>Forgets page's record (nothing when it has none).</summary>
        public void Remove(ulong page)
        {
            Step();
            if (!FindPage(page, out bool inOld, out int slot)) return;
            ref Index pages = ref inOld ? ref _old : ref _index;
            int r = pages.ByPage[slot];
            Delete(ref pages, true, slot);
            Record* rec = At(r);
            if (rec->Prev != Empty) At(rec->Prev)->Next = rec->Next;
            else
            {
                FindFrame(rec->Frame, out bool headInOld, out int headSlot);
                ref Index frames = ref headInOld ? ref _old : ref _index;
                if (rec->Next != Empty) frames.ByFrame[headSlot] = rec->Next;
                else Delete(ref frames, false, headSlot);
            }
            if (rec->Next != Empty) At(rec->Next)->Prev = rec->Prev;
            rec->Page = 0;
            rec->Next = _free;
            _free = r;
            _count--;
        }

        /// <summary>A page that maps frame, or 0 when none does.</summary>
        public ulong AnyPageOf(ulong frame)
        {
            if (!FindFrame(frame, out bool inOld, out int slot)) return 0;
            return At((inOld ? _old : _index).ByFrame[slot])->Page;
        }

        /// <summary>The frame page maps according to the records, or ulong.MaxValue (self-checks).</summary>
        public ulong FrameAt(ulong page)
        {
            if (!FindPage(page, out bool inOld, out int slot)) return ulong.MaxValue;
            return At((inOld ? _old : _index).ByPage[slot])->Frame;
        }

        /// <summary>Record i's page (0: unused) and frame, for the kernel's self-check.</summary>
        public ulong PageOf(int i) => At(i)->Page;
        public ulong FrameOf(int i) => At(i)->Frame;

        /// <summary>Frees the records a chunk per unit of budget, then the indexes; true when
        /// all is gone (the space's reaper calls it before freeing its tables). Precondition: the
        /// space is dead (no Add, Remove or lookup again).</summary>
        public bool FreeSome(ref int budget)
        {
            while (_chunkCount > 0)
            {
                if (budget-- <= 0) return false;
                GlobalHeap.Free(_chunks[--_chunkCount]);
            }
            if (_chunks != null) GlobalHeap.Free(_chunks);
            _chunks = null;
            _directorySize = 0;
            _count = 0;
            _free = Empty;
            FreeIndex(ref _index);
            FreeIndex(ref _old);
            FreeIndex(ref _next);
            return true;
        }

        private static int Hash(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & mask;

        private void Place(ref Index index, bool byPage, ulong key, int record)
        {
            int* slots = byPage ? index.ByPage : index.ByFrame;
            int at = Hash(key, index.Mask);
            while (slots[at] != Empty) at = (at + 1) & index.Mask;
            slots[at] = record;
            if (byPage) index.PageEntries++;
            else index.FrameEntries++;
        }

        /// <summary>The index slot holding page's record: in the current pair, or (inOld) the old one.</summary>
        private bool FindPage(ulong page, out bool inOld, out int slot) => FindIn(true, page, out inOld, out slot);

        /// <summary>The index slot holding frame's first record: in the current pair, or (inOld) the old one.</summary>
        private bool FindFrame(ulong frame, out bool inOld, out int slot) => FindIn(false, frame, out inOld, out slot);

        private bool FindIn(bool byPage, ulong key, out bool inOld, out int slot)
        {
            inOld = false;
            slot = _index.ByPage == null ? -1 : Find(_index, byPage, key);
            if (slot >= 0 || _old.ByPage == null) return slot >= 0;
            inOld = true;
            slot = Find(_old, byPage, key);
            return slot >= 0;
        }

        private int Find(Index index, bool byPage, ulong key)
        {
            int* slots = byPage ? index.ByPage : index.ByFrame;
            for (int at = Hash(key, index.Mask); slots[at] != Empty; at = (at + 1) & index.Mask)
            {
                Record* rec = At(slots[at]);
                if ((byPage ? rec->Page : rec->Frame) == key) return at;
            }
            return -1;
        }

        /// <summary>Empties slot `at`, shifting back the entries after it that probed past it.</summary>
        private void Delete(ref Index index, bool byPage, int at)
        {
            int* slots = byPage ? index.ByPage : index.ByFrame;
            int hole = at;
            for (int j = (hole + 1) & index.Mask; slots[j] != Empty; j = (j + 1) & index.Mask)
            {
                Record* rec = At(slots[j]);
                int home = Hash(byPage ? rec->Page : rec->Frame, index.Mask);
                // j's entry may move to the hole if its home is not cyclically within (hole, j]
                bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
                if (stays) continue;
                slots[hole] = slots[j];
                hole = j;
            }
            slots[hole] = Empty;
            if (byPage) index.PageEntries--;
            else index.FrameEntries--;
        }
    }
}
