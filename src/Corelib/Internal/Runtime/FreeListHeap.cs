// A boundary-tag heap over regions of memory handed to it: exact-size bins below 1 KiB and
// first fit within power-of-two bins above (a bitmap finds the next bin that holds a block),
// splitting, and coalescing with both neighbours on free. Pure logic (no platform calls), so
// tests/Unit runs it on the host. Not thread-safe: callers keep interrupts off.
// Invariants: blocks are 16-aligned, sizes are multiples of 16 and at least 32; no two free
// blocks are adjacent; every free block is in exactly one bin. Each region starts with a
// 16-byte record {next region, end} so the collector (GarbageCollector.cs) can walk every
// block; in-use blocks carry the collector's ObjectFlag (set by object allocation) and MarkFlag.
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

        public nuint FreeBytes => _freeBytes;
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
        /// on the others. Returns the bytes freed.</summary>
        public nuint Sweep()
        {
            nuint freed = 0;
            for (byte* region = _regions; region != null; region = NextRegion(region))
            {
                byte* block = FirstBlock(region);
                while (SizeOf(block) != 0)
                {
                    nuint flags = FlagsOf(block);
                    if ((flags & (InUse | ObjectFlag)) == (InUse | ObjectFlag))
                    {
                        if ((flags & MarkFlag) != 0) ClearFlag(block, MarkFlag);
                        else
                        {
                            freed += SizeOf(block);
                            block = FreeBlock(block);
                        }
                    }
                    block += SizeOf(block);
                }
            }
            return freed;
        }

        /// <summary>Takes regions that are wholly free out of the heap, as long as at least keepFree
        /// bytes stay free, and hands each to release (its start and length, as AddRegion was
        /// given them, give or take alignment). Returns the bytes released. Low and High stay.</summary>
        public nuint ReleaseEmptyRegions(delegate*<void*, nuint, void> release, nuint keepFree)
        {
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
            int log = 0;
            while ((size >>= 1) != 0) log++;
            return SmallBins + log - 10;                        // 1024 (2^10) starts the first large bin
        }

        /// <summary>The first bin at or after bin that holds a block, or BinCount.</summary>
        private int NextNonEmpty(int bin)
        {
            for (int word = bin >> 6; word < (BinCount + 63) / 64; word++)
            {
                ulong bits = _nonEmpty[word];
                if (word == bin >> 6) bits &= ~0UL << (bin & 63);
                if (bits == 0) continue;
                int found = word << 6;
                while ((bits & 1) == 0) { bits >>= 1; found++; }
                return found;
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
