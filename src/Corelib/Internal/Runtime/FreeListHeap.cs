// A boundary-tag heap over regions of memory handed to it: first fit within power-of-two
// size bins, splitting, and coalescing with both neighbours on free. Pure logic (no platform
// calls), so tests/Unit runs it on the host. Not thread-safe: callers keep interrupts off.
// Invariants: blocks are 16-aligned, sizes are multiples of 16 and at least 32; no two free
// blocks are adjacent; every free block is in exactly one bin.
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
        private const int BinCount = 64;

        private fixed ulong _bins[BinCount];
        private nuint _freeBytes;
        private nuint _totalBytes;

        public nuint FreeBytes => _freeBytes;
        public nuint TotalBytes => _totalBytes;

        /// <summary>Gives the heap a region. Returns false if it is too small to use.</summary>
        public bool AddRegion(void* start, nuint length)
        {
            byte* first = (byte*)(((nuint)start + 15) & ~(nuint)15);
            byte* end = (byte*)(((nuint)start + length) & ~(nuint)15);
            if (end <= first || (nuint)(end - first) < MinBlock + HeaderSize) return false;
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
            for (int bin = BinOf(need); bin < BinCount; bin++)
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
        public void Free(void* payload)
        {
            byte* block = (byte*)payload - HeaderSize;
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
            int bin = 0;
            while ((size >>= 1) != 0) bin++;
            return bin;
        }

        private void InsertFree(byte* block, nuint size)
        {
            int bin = BinOf(size);
            byte* head = (byte*)_bins[bin];
            *(byte**)(block + 16) = head;
            *(byte**)(block + 24) = null;
            if (head != null) *(byte**)(head + 24) = block;
            _bins[bin] = (ulong)block;
        }

        private void RemoveFree(byte* block)
        {
            byte* next = Next(block), prev = Prev(block);
            if (prev != null) *(byte**)(prev + 16) = next;
            else _bins[BinOf(SizeOf(block))] = (ulong)next;
            if (next != null) *(byte**)(next + 24) = prev;
        }
    }
}
