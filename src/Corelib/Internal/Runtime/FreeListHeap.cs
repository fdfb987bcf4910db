// A boundary-tag heap over regions of memory handed to it: exact-size bins below 1 KiB and
// first fit within power-of-two bins above (a bitmap finds the next bin that holds a block),
// splitting, and coalescing with both neighbours on free; objects come from an allocation area
// (a free block taken whole, up to 64 KiB, zeroed, bump-allocated: AllocateObject). Pure logic
// (no platform calls), so tests/Unit runs it on the host. Not thread-safe: callers keep
// interrupts off. Invariants: blocks are 16-aligned, sizes are multiples of 16 and at least 32;
// no two free blocks are adjacent; every free block is in exactly one bin; the area's unused
// rest is one in-use block without ObjectFlag (so every block can always be walked). Each region
// starts with a 16-byte record {next region, end} so the collector (GarbageCollector.cs) can walk
// every block; in-use blocks carry the collector's ObjectFlag and MarkFlag.
namespace Internal.Runtime
{
    public unsafe struct FreeListHeap
    {
        // Block: [prevSize: valid only when the previous block is free][size | flags][payload...]
        private const nuint HeaderSize = 16;
        private const nuint MinBlock = 32;
        private const nuint InUse = 1;
        private const nuint PrevInUse = 2;
        private const nuint FlagMask = 15;
        /// <summary>Header flag: the block is in use (not free).</summary>
        public const nuint InUseFlag = InUse;
        /// <summary>Header flag: the block holds a managed object (only such blocks are collected).</summary>
        public const nuint ObjectFlag = 4;
        /// <summary>Header flag: the collector reached this object (cleared by the sweep).</summary>
        public const nuint MarkFlag = 8;
        private const nuint RegionRecord = 16;
        // Bins: one per size for blocks under SmallLimit (every block in such a bin fits a request
        // of its size, so allocation never walks past blocks too small), then one per power of two.
        private const nuint SmallLimit = 1024;
        private const int SmallBins = (int)(SmallLimit / 16);
        private const int BinCount = SmallBins + 48;

        private fixed ulong _bins[BinCount];
        private fixed ulong _nonEmpty[(BinCount + 63) / 64];     // a bit per bin that holds a block
        private nuint _freeBytes;
        private nuint _totalBytes;
        private byte* _regions;
        private nuint _low, _high;
        // The allocation area: [_areaNext, _areaEnd) is memory out of the bins, zeroed beyond
        // each block's header, not counted in _freeBytes (FreeBytes adds it); when not empty,
        // _areaNext holds the header of an in-use block of its whole size (the rest) and the
        // block at _areaEnd has PrevInUse. The two words stay side by side: runtime.asm's
        // RhpNewFast bumps _areaNext through AreaAddress.
        private byte* _areaNext, _areaEnd;
        // Bytes given to objects since the start: areas taken, less the rests given back, plus
        // the objects that came from Allocate.
        private nuint _objectBytes;
        /// <summary>The smallest free block an area is made of (smaller holes: Allocate's exact bins).</summary>
        private const nuint AreaMinimum = 1024;
        /// <summary>The most one area takes from a bigger free block.</summary>
        private const nuint AreaMaximum = 64 * 1024;
        /// <summary>Objects up to this block size come from the area.</summary>
        private const nuint AreaObjectLimit = 512;

        public nuint FreeBytes => _freeBytes + (nuint)(_areaEnd - _areaNext);

        /// <summary>Bytes of object blocks allocated since the start (none of them ever subtracted).</summary>
        public nuint ObjectBytesAllocated => _objectBytes - (nuint)(_areaEnd - _areaNext);

        /// <summary>The area's {next, end} words, for an assembly fast path that bumps next as
        /// BumpObject does (only when the rest stays at least 32 bytes). Precondition: this heap
        /// does not move (a static).</summary>
        public byte** AreaAddress
        {
            get { fixed (byte** next = &_areaNext) return next; }
        }

        /// <summary>True when _areaEnd follows _areaNext directly (what AreaAddress's users assume).</summary>
        public bool AreaWordsAdjacent
        {
            get { fixed (byte** end = &_areaEnd) return (byte*)end - (byte*)AreaAddress == 8; }
        }
        public nuint TotalBytes => _totalBytes;

        /// <summary>Gives the heap a region. Returns false if it is too small to use.</summary>
        public bool AddRegion(void* start, nuint length)
        {
            byte* first = (byte*)(((nuint)start + 15) & ~(nuint)15);
            byte* end = (byte*)(((nuint)start + length) & ~(nuint)15);
            if (end <= first || (nuint)(end - first) < MinBlock + HeaderSize + RegionRecord) return false;
            *(byte**)first = _regions;
            *(byte**)(first + 8) = end;
            _regions = first;
            if (_low == 0 || (nuint)first < _low) _low = (nuint)first;
            if ((nuint)end > _high) _high = (nuint)end;
            first += RegionRecord;
            nuint size = (nuint)(end - first) - HeaderSize;
            // The fence: a zero-size in-use block after the last real block stops coalescing.
            SetSizeFlags(end - HeaderSize, InUse);
            SetSizeFlags(first, size | PrevInUse);
            SetFooter(first, size);
            InsertFree(first, size);
            _freeBytes += size;
            _totalBytes += size;
            return true;
        }

        /// <summary>Returns 16-aligned memory of at least <paramref name="size"/> bytes, or null.</summary>
        public void* Allocate(nuint size)
        {
            if (size > ((nuint)1 << 46)) return null;
            nuint need = (size + HeaderSize + 15) & ~(nuint)15;
            if (need < MinBlock) need = MinBlock;
            for (int bin = NextNonEmpty(BinOf(need)); bin < BinCount; bin = NextNonEmpty(bin + 1))
            {
                for (byte* block = (byte*)_bins[bin]; block != null; block = Next(block))
                {
                    nuint blockSize = SizeOf(block);
                    if (blockSize < need) continue;
                    RemoveFree(block);
                    nuint rest = blockSize - need;
                    if (rest >= MinBlock)
                    {
                        byte* tail = block + need;
                        SetSizeFlags(tail, rest | PrevInUse);
                        SetFooter(tail, rest);
                        InsertFree(tail, rest);
                        SetSizeFlags(block, need | InUse | (FlagsOf(block) & PrevInUse));
                    }
                    else
                    {
                        need = blockSize;
                        SetSizeFlags(block, blockSize | InUse | (FlagsOf(block) & PrevInUse));
                        byte* next = block + blockSize;
                        SetSizeFlags(next, SizeOf(next) | FlagsOf(next) | PrevInUse);
                    }
                    _freeBytes -= need;
                    return block + HeaderSize;
                }
            }
            return null;
        }

        /// <summary>Zeroed, 16-aligned memory of at least size bytes in a block with ObjectFlag, or
        /// null (no free block big enough: the caller collects or grows). Small objects are bumped
        /// from the allocation area; bigger ones, or when no area can be made, come from Allocate.</summary>
        public void* AllocateObject(nuint size)
        {
            void* p = BumpObject(size);
            return p != null ? p : AllocateObjectSlow(size);
        }

        /// <summary>AllocateObject's fast path: an object that fits the allocation area, or null.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void* BumpObject(nuint size)
        {
            nuint need = (size + HeaderSize + 15) & ~(nuint)15;
            byte* block = _areaNext;
            nuint left = (nuint)(_areaEnd - block);
            if (need > left) return null;
            nuint rest = left - need;
            if (rest >= MinBlock) SetSizeFlags(block + need, rest | InUse | PrevInUse);
            else need = left;                                       // 0 or 16 left: the object takes it
            SetSizeFlags(block, need | InUse | PrevInUse | ObjectFlag);
            _areaNext = block + need;
            return block + HeaderSize;
        }

        private void* AllocateObjectSlow(nuint size)
        {
            if (size <= AreaObjectLimit && Refill())
                return BumpObject(size);
            byte* payload = (byte*)Allocate(size);
            if (payload == null) return null;
            byte* block = payload - HeaderSize;
            SetFlag(block, ObjectFlag);
            _objectBytes += SizeOf(block);
            Zero(payload, SizeOf(block) - HeaderSize);
            return payload;
        }

        /// <summary>Gives back the area's rest and takes a new area from the smallest power-of-two
        /// bin of at least AreaMinimum; false when there is none (the area is then empty).</summary>
        private bool Refill()
        {
            RetireArea();
            int bin = NextNonEmpty(BinOf(AreaMinimum));
            if (bin >= BinCount) return false;
            byte* block = (byte*)_bins[bin];
            nuint size = SizeOf(block);
            RemoveFree(block);
            if (size >= AreaMaximum + MinBlock)
            {
                byte* tail = block + AreaMaximum;
                nuint tailSize = size - AreaMaximum;
                SetSizeFlags(tail, tailSize | PrevInUse);
                SetFooter(tail, tailSize);
                InsertFree(tail, tailSize);
                size = AreaMaximum;
            }
            else
            {
                byte* next = block + size;
                SetSizeFlags(next, SizeOf(next) | FlagsOf(next) | PrevInUse);
            }
            // A free block's predecessor is always in use.
            SetSizeFlags(block, size | InUse | PrevInUse);
            Zero(block + HeaderSize, size - HeaderSize);
            _freeBytes -= size;
            _objectBytes += size;
            _areaNext = block;
            _areaEnd = block + size;
            return true;
        }

        /// <summary>Puts the area's rest back into the bins (coalesced with a free block after it).
        /// The heap's walkers do not need it (the rest is an in-use block), but the sweep does.</summary>
        public void RetireArea()
        {
            byte* block = _areaNext;
            if (block != _areaEnd)
            {
                _objectBytes -= SizeOf(block);
                FreeBlock(block);
            }
            _areaNext = _areaEnd = null;
        }

        /// <summary>Precondition: bytes is below 4 GiB (objects are at most 2 GiB).</summary>
        private static void Zero(byte* p, nuint bytes) => System.Runtime.CompilerServices.Unsafe.InitBlock(p, 0, (uint)bytes);

        /// <summary>Frees memory from Allocate. Precondition: not already freed.</summary>
        public void Free(void* payload) => FreeBlock((byte*)payload - HeaderSize);

        /// <summary>Frees an in-use block; returns the free block it became part of (coalesced).</summary>
        private byte* FreeBlock(byte* block)
        {
            nuint size = SizeOf(block);
            _freeBytes += size;
            byte* next = block + size;
            if ((FlagsOf(next) & InUse) == 0)
            {
                RemoveFree(next);
                size += SizeOf(next);
            }
            if ((FlagsOf(block) & PrevInUse) == 0)
            {
                nuint prevSize = *(nuint*)block;
                block -= prevSize;
                RemoveFree(block);
                size += prevSize;
            }
            SetSizeFlags(block, size | (FlagsOf(block) & PrevInUse));
            SetFooter(block, size);
            byte* after = block + size;
            SetSizeFlags(after, SizeOf(after) | (FlagsOf(after) & ~PrevInUse));
            InsertFree(block, size);
            return block;
        }

        // The collector's view. Addresses: [Low, High) bounds every region (other memory may lie
        // between regions). A block is [16-byte header][payload]; its size includes the header.

        public nuint Low => _low;
        public nuint High => _high;
        public byte* FirstRegion => _regions;
        public static byte* NextRegion(byte* region) => *(byte**)region;
        public static byte* RegionEnd(byte* region) => *(byte**)(region + 8);
        /// <summary>The region's first block; the walk ends at the fence, a block of size 0.</summary>
        public static byte* FirstBlock(byte* region) => region + RegionRecord;
        public static nuint BlockSize(byte* block) => SizeOf(block);
        public static bool IsInUse(byte* block) => (FlagsOf(block) & InUse) != 0;
        public static bool HasFlag(byte* block, nuint flag) => (FlagsOf(block) & flag) != 0;
        public static void SetFlag(byte* block, nuint flag) => *(nuint*)(block + 8) |= flag;
        public static void ClearFlag(byte* block, nuint flag) => *(nuint*)(block + 8) &= ~flag;
        public static byte* BlockOf(void* payload) => (byte*)payload - HeaderSize;
        public static byte* PayloadOf(byte* block) => block + HeaderSize;

        /// <summary>Frees every in-use block with ObjectFlag and without MarkFlag, clears MarkFlag
        /// on the others. Returns the bytes freed. One walk that rebuilds the bins: each run of
        /// free and dead blocks becomes one free block. Retires the allocation area first.</summary>
        public nuint Sweep()
        {
            RetireArea();
            for (int i = 0; i < BinCount; i++) _bins[i] = 0;
            for (int i = 0; i < (BinCount + 63) / 64; i++) _nonEmpty[i] = 0;
            nuint freed = 0;
            for (byte* region = _regions; region != null; region = NextRegion(region))
            {
                byte* block = FirstBlock(region);
                byte* run = null;                                  // the start of a run of free blocks
                while (true)
                {
                    nuint word = *(nuint*)(block + 8);
                    nuint size = word & ~FlagMask;
                    if (size == 0) break;                          // the fence
                    if ((word & InUse) == 0)
                    {
                        if (run == null) run = block;
                    }
                    else if ((word & (ObjectFlag | MarkFlag)) == ObjectFlag)
                    {
                        freed += size;
                        if (run == null) run = block;
                    }
                    else
                    {
                        if (run != null)
                        {
                            EndRun(run, block);
                            word &= ~PrevInUse;
                            run = null;
                        }
                        *(nuint*)(block + 8) = word & ~MarkFlag;
                    }
                    block += size;
                }
                if (run != null)
                {
                    EndRun(run, block);
                    SetSizeFlags(block, FlagsOf(block) & ~PrevInUse);
                }
            }
            _freeBytes += freed;
            return freed;
        }

        /// <summary>[run, end) becomes one free block in its bin (its predecessor is in use).
        /// The caller clears PrevInUse in the block at end.</summary>
        private void EndRun(byte* run, byte* end)
        {
            nuint size = (nuint)(end - run);
            SetSizeFlags(run, size | PrevInUse);
            SetFooter(run, size);
            InsertFree(run, size);
        }

        /// <summary>Takes regions that are wholly free out of the heap, as long as at least keepFree
        /// bytes stay free, and hands each to release (its start and length, as AddRegion was
        /// given them, give or take alignment). Returns the bytes released. Low and High stay.</summary>
        public nuint ReleaseEmptyRegions(delegate*<void*, nuint, void> release, nuint keepFree)
        {
            RetireArea();
            nuint released = 0;
            byte* previous = null;
            for (byte* region = _regions; region != null;)
            {
                byte* next = NextRegion(region);
                byte* first = FirstBlock(region);
                nuint size = SizeOf(first);
                if ((FlagsOf(first) & InUse) == 0 && SizeOf(first + size) == 0 && _freeBytes >= size + keepFree)
                {
                    RemoveFree(first);
                    _freeBytes -= size;
                    _totalBytes -= size;
                    if (previous == null) _regions = next;
                    else *(byte**)previous = next;
                    nuint length = (nuint)(RegionEnd(region) - region);
                    released += length;
                    release(region, length);
                }
                else previous = region;
                region = next;
            }
            return released;
        }

        /// <summary>The usable size of an allocated block (at least what was asked for).</summary>
        public static nuint UsableSize(void* payload) => SizeOf((byte*)payload - HeaderSize) - HeaderSize;

        private static nuint SizeOf(byte* block) => *(nuint*)(block + 8) & ~FlagMask;
        private static nuint FlagsOf(byte* block) => *(nuint*)(block + 8) & FlagMask;
        private static void SetSizeFlags(byte* block, nuint value) => *(nuint*)(block + 8) = value;
        // The footer of a free block is the next block's prevSize word.
        private static void SetFooter(byte* block, nuint size) => *(nuint*)(block + size) = size;
        private static byte* Next(byte* block) => *(byte**)(block + 16);
        private static byte* Prev(byte* block) => *(byte**)(block + 24);

        private static int BinOf(nuint size)
        {
            if (size < SmallLimit) return (int)(size / 16);
            return SmallBins + Log2(size) - 10;                 // 1024 (2^10) starts the first large bin
        }

        /// <summary>The index of the highest set bit. Precondition: value is not 0.</summary>
        private static int Log2(nuint value)
        {
            int log = 0;
            if ((value >> 32) != 0) { value >>= 32; log += 32; }
            if ((value >> 16) != 0) { value >>= 16; log += 16; }
            if ((value >> 8) != 0) { value >>= 8; log += 8; }
            if ((value >> 4) != 0) { value >>= 4; log += 4; }
            if ((value >> 2) != 0) { value >>= 2; log += 2; }
            if ((value >> 1) != 0) log++;
            return log;
        }

        /// <summary>The first bin at or after bin that holds a block, or BinCount.</summary>
        private int NextNonEmpty(int bin)
        {
            for (int word = bin >> 6; word < (BinCount + 63) / 64; word++)
            {
                ulong bits = _nonEmpty[word];
                if (word == bin >> 6) bits &= ~0UL << (bin & 63);
                if (bits == 0) continue;
                return (word << 6) + Log2((nuint)(bits & (~bits + 1)));   // the lowest set bit
            }
            return BinCount;
        }

        private void InsertFree(byte* block, nuint size)
        {
            int bin = BinOf(size);
            byte* head = (byte*)_bins[bin];
            *(byte**)(block + 16) = head;
            *(byte**)(block + 24) = null;
            if (head != null) *(byte**)(head + 24) = block;
            _bins[bin] = (ulong)block;
            _nonEmpty[bin >> 6] |= 1UL << (bin & 63);
        }

        private void RemoveFree(byte* block)
        {
            byte* next = Next(block), prev = Prev(block);
            if (prev != null) *(byte**)(prev + 16) = next;
            else
            {
                int bin = BinOf(SizeOf(block));
                _bins[bin] = (ulong)next;
                if (next == null) _nonEmpty[bin >> 6] &= ~(1UL << (bin & 63));
            }
            if (next != null) *(byte**)(next + 24) = prev;
        }
    }
}
