// The corelib's boundary-tag heap (src/Corelib/Internal/Runtime/FreeListHeap.cs), run on the
// host over regions from NativeMemory.AlignedAlloc: alignment, bounds and non-overlap, reuse
// and coalescing, exhaustion, several regions, refusal of tiny regions, and a seeded random
// alloc/free stress that keeps a byte pattern in every live block to catch any overlap, and the
// collector's sweep (only unmarked object blocks freed, marks cleared, blocks walkable), and
// object allocation from the allocation area mixed with native blocks, frees and sweeps.
using System.Runtime.InteropServices;
using Internal.Runtime;
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed unsafe class FreeListHeapTests : IDisposable
{
    private readonly List<IntPtr> _regions = new();
    private FreeListHeap _heap;

    public void Dispose()
    {
        foreach (IntPtr region in _regions) NativeMemory.AlignedFree((void*)region);
    }

    private byte* NewRegion(nuint length)
    {
        byte* region = (byte*)NativeMemory.AlignedAlloc(length, 4096);
        _regions.Add((IntPtr)region);
        new Span<byte>(region, (int)length).Fill(0xCC);
        return region;
    }

    /// <summary>A block is 16-aligned, lies inside [start, start + length) and is big enough.</summary>
    private static nuint CheckBlock(void* block, nuint size, byte* start, nuint length)
    {
        Assert.True(block != null, $"Allocate({size}) returned null");
        Assert.True(((nuint)block & 15) == 0, $"Allocate({size}) returned {(nuint)block:x}, not 16-aligned");
        nuint usable = FreeListHeap.UsableSize(block);
        Assert.True(usable >= size, $"Allocate({size}): usable size {usable}");
        Assert.True((byte*)block >= start && (byte*)block + usable <= start + length,
            $"Allocate({size}) returned [{(nuint)block:x}, +{usable}), outside the region [{(nuint)start:x}, +{length})");
        return usable;
    }

    private static void AssertDisjoint(IEnumerable<(nuint Address, nuint Length)> blocks)
    {
        var sorted = blocks.OrderBy(b => b.Address).ToList();
        for (int i = 1; i < sorted.Count; i++)
            Assert.True(sorted[i - 1].Address + sorted[i - 1].Length <= sorted[i].Address,
                $"blocks at {sorted[i - 1].Address:x} (+{sorted[i - 1].Length}) and {sorted[i].Address:x} overlap");
    }

    private static byte PatternByte(int id, nuint i) => (byte)(id * 131 + (int)i * 7 + ((int)i >> 8));

    private static void Fill(byte* block, nuint size, int id)
    {
        for (nuint i = 0; i < size; i++) block[i] = PatternByte(id, i);
    }

    private static void CheckPattern(byte* block, nuint size, int id, string when)
    {
        for (nuint i = 0; i < size; i++)
            if (block[i] != PatternByte(id, i))
                Assert.Fail($"{when}: block {id} at {(nuint)block:x}, byte {i} of {size} was overwritten");
    }

    [Fact]
    public void AllocationsAreAlignedInsideTheRegionDisjointAndBigEnough()
    {
        const int Length = 1 << 20;
        byte* region = NewRegion(Length);
        Assert.True(_heap.AddRegion(region, Length));
        Assert.True(_heap.TotalBytes > Length - 256 && _heap.TotalBytes <= Length);
        Assert.Equal(_heap.TotalBytes, _heap.FreeBytes);

        nuint[] sizes = { 0, 1, 2, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100, 255, 256, 1000, 4095, 4096, 4097, 5000, 65536 };
        var blocks = new List<(nuint, nuint)>();
        int id = 0;
        foreach (nuint size in sizes)
        {
            nuint freeBefore = _heap.FreeBytes;
            void* block = _heap.Allocate(size);
            nuint usable = CheckBlock(block, size, region, Length);
            Assert.True(_heap.FreeBytes <= freeBefore - usable, $"Allocate({size}): FreeBytes {freeBefore} -> {_heap.FreeBytes}");
            Fill((byte*)block, usable, ++id);
            blocks.Add(((nuint)block, usable));
        }
        AssertDisjoint(blocks);
        id = 0;
        foreach ((nuint address, nuint usable) in blocks) CheckPattern((byte*)address, usable, ++id, "after all allocations");
    }

    [Fact]
    public void AMisalignedRegionStillGivesAlignedBlocksInsideIt()
    {
        byte* region = NewRegion(8192);
        byte* start = region + 3;
        nuint length = 8192 - 3 - 5;
        Assert.True(_heap.AddRegion(start, length));
        Assert.True(_heap.TotalBytes <= length);
        var blocks = new List<(nuint, nuint)>();
        for (int i = 0; i < 200; i++)
        {
            void* block = _heap.Allocate(40);
            if (block == null) break;
            blocks.Add(((nuint)block, CheckBlock(block, 40, start, length)));
        }
        Assert.True(blocks.Count >= 100, $"only {blocks.Count} blocks of 40 bytes from 8 KiB");
        AssertDisjoint(blocks);
    }

    [Fact]
    public void FreeThenReallocateReusesTheMemory()
    {
        const int Length = 1 << 16;
        byte* region = NewRegion(Length);
        Assert.True(_heap.AddRegion(region, Length));
        nuint initial = _heap.FreeBytes;

        void* first = _heap.Allocate(256);
        _heap.Free(first);
        Assert.Equal(initial, _heap.FreeBytes);
        Assert.True(first == _heap.Allocate(256), "the freed block was not reused");

        void* a = _heap.Allocate(1000), b = _heap.Allocate(1000), c = _heap.Allocate(1000);
        nuint beforeFree = _heap.FreeBytes;
        _heap.Free(b);
        Assert.True(_heap.FreeBytes > beforeFree);
        Assert.True(b == _heap.Allocate(1000), "the hole left by a freed block was not reused");
        Assert.Equal(beforeFree, _heap.FreeBytes);

        _heap.Free(c);
        _heap.Free(first);
        _heap.Free(b);
        _heap.Free(a);
        Assert.Equal(initial, _heap.FreeBytes);
        Assert.Equal(_heap.TotalBytes, _heap.FreeBytes);
    }

    [Fact]
    public void FreeCoalescesWithBothNeighbours()
    {
        const int Length = 1 << 16;
        byte* region = NewRegion(Length);
        Assert.True(_heap.AddRegion(region, Length));
        nuint total = _heap.TotalBytes;

        var blocks = new List<IntPtr>();
        for (int i = 0; i < 8; i++) blocks.Add((IntPtr)_heap.Allocate(500));
        void* a = (void*)blocks[2], b = (void*)blocks[3], c = (void*)blocks[4];
        nuint span = (nuint)((byte*)c - (byte*)a) + FreeListHeap.UsableSize(c);   // a's payload to c's end
        _heap.Free(a);
        _heap.Free(c);
        void* elsewhere = _heap.Allocate(span);                   // a and c alone are too small
        Assert.True(elsewhere != null && elsewhere != a, "a..c became one block before b was freed");
        _heap.Free(elsewhere);
        _heap.Free(b);                                             // joins a (before) and c (after)
        void* joined = _heap.Allocate(span);
        Assert.True(joined == a, "freeing b did not merge a, b and c into one block");
        _heap.Free(joined);

        // Everything freed in a scrambled order: one block spanning the region again, so an
        // allocation of all of it (less the 16-byte block header) succeeds.
        foreach (int i in new[] { 7, 0, 5, 1, 6 }) _heap.Free((void*)blocks[i]);
        Assert.Equal(total, _heap.FreeBytes);
        void* whole = _heap.Allocate(total - 16);
        Assert.True(whole != null, "free blocks were not coalesced back into one");
        Assert.True(_heap.Allocate(1) == null);
        _heap.Free(whole);
        Assert.Equal(total, _heap.FreeBytes);
    }

    [Fact]
    public void AllocationFailsWithNullWhenExhausted()
    {
        const int Length = 1 << 16;
        byte* region = NewRegion(Length);
        Assert.True(_heap.AddRegion(region, Length));
        nuint total = _heap.TotalBytes;
        Assert.True(_heap.Allocate(total) == null, "more than the whole region was handed out");
        Assert.True(_heap.Allocate(nuint.MaxValue) == null);
        Assert.True(_heap.Allocate(nuint.MaxValue - 8) == null);
        Assert.True(_heap.Allocate((nuint)1 << 47) == null);
        Assert.Equal(total, _heap.FreeBytes);                      // failures change nothing

        var blocks = new List<(nuint, nuint)>();
        void* block;
        while ((block = _heap.Allocate(1000)) != null) blocks.Add(((nuint)block, CheckBlock(block, 1000, region, Length)));
        Assert.True(blocks.Count >= 50, $"only {blocks.Count} blocks of 1000 bytes from 64 KiB");
        Assert.True(_heap.FreeBytes < 1000 + 64, $"Allocate(1000) failed with {_heap.FreeBytes} bytes free");
        while ((block = _heap.Allocate(1)) != null) blocks.Add(((nuint)block, CheckBlock(block, 1, region, Length)));
        Assert.True(_heap.Allocate(0) == null);
        AssertDisjoint(blocks);

        (nuint address, _) = blocks[10];
        _heap.Free((void*)address);
        Assert.True(_heap.Allocate(1000) == (void*)address, "a freed block was not reused after exhaustion");
        Assert.True(_heap.Allocate(1000) == null);
    }

    [Fact]
    public void RandomAllocAndFreeKeepEveryBlockIntact()
    {
        const int Length = 16 << 20;
        byte* region = NewRegion(Length);
        Assert.True(_heap.AddRegion(region, Length));
        nuint total = _heap.TotalBytes;

        var random = new Random(424242);
        // id -> (block, requested size, FreeBytes taken by its allocation)
        var live = new Dictionary<int, (IntPtr Block, nuint Size, nuint Taken)>();
        var ids = new List<int>();
        int nextId = 0;

        void FreeOne(int index, int step)
        {
            int id = ids[index];
            ids[index] = ids[^1];
            ids.RemoveAt(ids.Count - 1);
            (IntPtr block, nuint size, nuint taken) = live[id];
            live.Remove(id);
            CheckPattern((byte*)block, size, id, $"step {step}, before Free");
            nuint before = _heap.FreeBytes;
            _heap.Free((void*)block);
            Assert.True(_heap.FreeBytes - before == taken, $"step {step}: Free gave back {_heap.FreeBytes - before}, Allocate took {taken}");
        }

        for (int step = 0; step < 6000; step++)
        {
            bool allocate = ids.Count == 0 || (ids.Count < 600 && random.Next(100) < 55);
            if (allocate)
            {
                nuint size = (nuint)random.Next(1, 8193);
                nuint before = _heap.FreeBytes;
                void* block = _heap.Allocate(size);
                CheckBlock(block, size, region, Length);
                nuint taken = before - _heap.FreeBytes;
                Assert.True(taken >= size && taken <= size + 64, $"step {step}: Allocate({size}) took {taken} bytes");
                int id = ++nextId;
                Fill((byte*)block, size, id);
                live.Add(id, ((IntPtr)block, size, taken));
                ids.Add(id);
            }
            else
            {
                FreeOne(random.Next(ids.Count), step);
            }

            if (step % 1000 == 999)
            {
                foreach ((int id, (IntPtr block, nuint size, _)) in live) CheckPattern((byte*)block, size, id, $"step {step}");
                AssertDisjoint(live.Values.Select(b => ((nuint)b.Block, FreeListHeap.UsableSize((void*)b.Block))));
                nuint taken = 0;
                foreach (var b in live.Values) taken += b.Taken;
                Assert.Equal(total - taken, _heap.FreeBytes);
            }
        }

        while (ids.Count > 0) FreeOne(random.Next(ids.Count), -1);
        Assert.Equal(total, _heap.FreeBytes);
        Assert.Equal(total, _heap.TotalBytes);
        void* whole = _heap.Allocate(total - 16);                  // one block again: coalesced
        Assert.True(whole != null, "after freeing everything the region is still fragmented");
    }

    [Fact]
    public void ASecondRegionAddsItsSpace()
    {
        const int Length = 1 << 16, SecondLength = 2 * Length;   // sizes differ: easy to tell apart
        byte* first = NewRegion(Length), second = NewRegion(SecondLength);
        Assert.True(_heap.AddRegion(first, Length));
        nuint firstTotal = _heap.TotalBytes;

        var blocks = new List<IntPtr>();
        void* block;
        while ((block = _heap.Allocate(1000)) != null)
        {
            CheckBlock(block, 1000, first, Length);
            blocks.Add((IntPtr)block);
        }
        int inFirst = blocks.Count;

        nuint freeBefore = _heap.FreeBytes;
        Assert.True(_heap.AddRegion(second, SecondLength));
        nuint secondTotal = _heap.TotalBytes - firstTotal;
        Assert.True(secondTotal > SecondLength - 256 && secondTotal <= SecondLength);
        Assert.Equal(freeBefore + secondTotal, _heap.FreeBytes);

        while ((block = _heap.Allocate(1000)) != null)
        {
            CheckBlock(block, 1000, second, SecondLength);         // the first region is full
            blocks.Add((IntPtr)block);
        }
        Assert.True(blocks.Count - inFirst >= 100, $"only {blocks.Count - inFirst} blocks from the second region");

        foreach (IntPtr b in blocks) _heap.Free((void*)b);
        Assert.Equal(_heap.TotalBytes, _heap.FreeBytes);
        // Regions are never merged: nothing larger than the bigger one fits, but each is whole
        // again (one block, less its 16-byte header).
        Assert.True(_heap.Allocate(secondTotal + 16) == null);
        CheckBlock(_heap.Allocate(firstTotal - 16), firstTotal - 16, first, Length);
        CheckBlock(_heap.Allocate(secondTotal - 16), secondTotal - 16, second, SecondLength);
        Assert.True(_heap.Allocate(1) == null);
    }

    [Fact]
    public void ATooSmallRegionIsRefusedAndLeftUntouched()
    {
        // The tiny regions sit in the middle of a larger buffer, so that a stray write around
        // them is seen here instead of corrupting the test host's own heap.
        byte* buffer = NewRegion(3 * 4096);
        byte* region = buffer + 4096;
        foreach ((nuint offset, nuint length) in new (nuint, nuint)[] { (0, 0), (0, 1), (0, 16), (0, 32), (1, 32), (8, 40), (15, 31) })
        {
            Assert.False(_heap.AddRegion(region + offset, length), $"a region of {length} bytes at +{offset} was accepted");
            for (int i = 0; i < 3 * 4096; i++)
                Assert.True(buffer[i] == 0xCC, $"AddRegion(+{offset}, {length}) wrote to byte {i - 4096} of its region");
        }
        Assert.Equal((nuint)0, _heap.TotalBytes);
        Assert.Equal((nuint)0, _heap.FreeBytes);
        Assert.True(_heap.Allocate(0) == null);
        Assert.True(_heap.Allocate(1) == null);

        // One page is plenty: accepted.
        Assert.True(_heap.AddRegion(region, 4096));
        CheckBlock(_heap.Allocate(100), 100, region, 4096);
    }

    [Fact]
    public void SweepFreesOnlyUnmarkedObjectBlocksAndClearsMarks()
    {
        const int Length = 1 << 20;
        byte* region = NewRegion(Length);
        Assert.True(_heap.AddRegion(region, Length));
        nuint total = _heap.TotalBytes;
        var blocks = new List<IntPtr>();
        for (int i = 0; i < 300; i++)
        {
            byte* p = (byte*)_heap.Allocate((nuint)(24 + (i % 7) * 40));
            Fill(p, FreeListHeap.UsableSize(p), i);
            byte* block = FreeListHeap.BlockOf(p);
            if (i % 3 != 0) FreeListHeap.SetFlag(block, FreeListHeap.ObjectFlag);       // i % 3 == 0: native
            if (i % 3 == 1) FreeListHeap.SetFlag(block, FreeListHeap.MarkFlag);         // live object
            blocks.Add((IntPtr)p);
        }
        nuint expected = 0;
        for (int i = 2; i < 300; i += 3) expected += FreeListHeap.BlockSize(FreeListHeap.BlockOf((byte*)blocks[i]));
        nuint freeBefore = _heap.FreeBytes;
        Assert.Equal(expected, _heap.Sweep());
        Assert.Equal(freeBefore + expected, _heap.FreeBytes);
        for (int i = 0; i < 300; i++)
        {
            if (i % 3 == 2) continue;
            byte* p = (byte*)blocks[i];
            Assert.True(FreeListHeap.IsInUse(FreeListHeap.BlockOf(p)));
            Assert.False(FreeListHeap.HasFlag(FreeListHeap.BlockOf(p), FreeListHeap.MarkFlag));
            CheckPattern(p, FreeListHeap.UsableSize(p), i, "after the sweep");
        }
        // Every block is walkable from the region record, and a second sweep frees the unmarked rest.
        nuint walked = 0;
        for (byte* r = _heap.FirstRegion; r != null; r = FreeListHeap.NextRegion(r))
            for (byte* b = FreeListHeap.FirstBlock(r); FreeListHeap.BlockSize(b) != 0; b += FreeListHeap.BlockSize(b))
                walked += FreeListHeap.BlockSize(b);
        Assert.Equal(total, walked);
        _heap.Sweep();
        for (int i = 0; i < 300; i += 3) _heap.Free((void*)blocks[i]);
        Assert.Equal(total, _heap.FreeBytes);
    }

    /// <summary>Walks every block: sizes add up to the heap, no two free blocks are adjacent.</summary>
    private void CheckWalk(nuint total, string when)
    {
        nuint walked = 0;
        for (byte* r = _heap.FirstRegion; r != null; r = FreeListHeap.NextRegion(r))
        {
            bool previousFree = false;
            for (byte* b = FreeListHeap.FirstBlock(r); FreeListHeap.BlockSize(b) != 0; b += FreeListHeap.BlockSize(b))
            {
                bool free = !FreeListHeap.IsInUse(b);
                Assert.False(free && previousFree, $"{when}: two free blocks side by side at {(nuint)b:x}");
                Assert.True(b + FreeListHeap.BlockSize(b) <= FreeListHeap.RegionEnd(r), $"{when}: a block at {(nuint)b:x} runs past its region");
                previousFree = free;
                walked += FreeListHeap.BlockSize(b);
            }
        }
        Assert.Equal(total, walked);
    }

    [Fact]
    public void ObjectsFromTheAllocationAreaMixedWithNativeBlocksFreesAndSweeps()
    {
        const int Length = 4 << 20;
        byte* first = NewRegion(Length), second = NewRegion(Length);
        Assert.True(_heap.AddRegion(first, Length));
        Assert.True(_heap.AddRegion(second, Length));
        nuint total = _heap.TotalBytes;
        var random = new Random(7117);
        // id -> (payload, requested size, block bytes taken, is an object)
        var live = new Dictionary<int, (IntPtr Block, nuint Size, nuint Taken, bool IsObject)>();
        int nextId = 0;
        for (int round = 0; round < 40; round++)
        {
            for (int step = 0; step < 1500; step++)
            {
                int kind = random.Next(100);
                nuint size = kind < 70 ? (nuint)random.Next(1, 129) : kind < 90 ? (nuint)random.Next(129, 2049) : (nuint)random.Next(2049, 40000);
                bool isObject = random.Next(4) != 0;
                nuint before = _heap.FreeBytes;
                byte* p = (byte*)(isObject ? _heap.AllocateObject(size) : _heap.Allocate(size));
                if (p == null) break;                                      // full: the sweep below makes room
                bool inFirst = p >= first && p < first + Length;
                CheckBlock(p, size, inFirst ? first : second, Length);
                nuint taken = before - _heap.FreeBytes;
                Assert.Equal(taken, FreeListHeap.BlockSize(FreeListHeap.BlockOf(p)));
                Assert.Equal(isObject, FreeListHeap.HasFlag(FreeListHeap.BlockOf(p), FreeListHeap.ObjectFlag));
                if (isObject)
                    for (nuint i = 0; i < FreeListHeap.UsableSize(p); i++)
                        if (p[i] != 0) Assert.Fail($"round {round}: object of {size} bytes at {(nuint)p:x} not zeroed at byte {i}");
                int id = ++nextId;
                Fill(p, size, id);
                live.Add(id, ((IntPtr)p, size, taken, isObject));
                // Native blocks are freed explicitly, some at once (next to the area's rest).
                if (!isObject && random.Next(3) == 0)
                {
                    _heap.Free(p);
                    live.Remove(id);
                }
            }
            CheckWalk(total, $"round {round}, before the sweep");
            // A collection: about half the objects survive (marked); the others are swept.
            nuint expectedFreed = 0;
            foreach ((int id, var b) in live.ToList())
            {
                if (!b.IsObject) continue;
                if (random.Next(2) == 0) FreeListHeap.SetFlag(FreeListHeap.BlockOf((byte*)b.Block), FreeListHeap.MarkFlag);
                else
                {
                    expectedFreed += b.Taken;
                    live.Remove(id);
                }
            }
            Assert.Equal(expectedFreed, _heap.Sweep());
            CheckWalk(total, $"round {round}, after the sweep");
            nuint taken2 = 0;
            foreach ((int id, var b) in live)
            {
                CheckPattern((byte*)b.Block, b.Size, id, $"round {round}, after the sweep");
                Assert.False(FreeListHeap.HasFlag(FreeListHeap.BlockOf((byte*)b.Block), FreeListHeap.MarkFlag));
                taken2 += b.Taken;
            }
            Assert.Equal(total - taken2, _heap.FreeBytes);
            AssertDisjoint(live.Values.Select(b => ((nuint)b.Block, FreeListHeap.UsableSize((void*)b.Block))));
            // Some native blocks freed between collections.
            foreach ((int id, var b) in live.ToList())
                if (!b.IsObject && random.Next(2) == 0)
                {
                    _heap.Free((void*)b.Block);
                    live.Remove(id);
                }
        }
        // Everything dropped: one sweep and the frees give the whole heap back, coalesced.
        foreach ((int id, var b) in live) if (!b.IsObject) _heap.Free((void*)b.Block);
        _heap.Sweep();
        Assert.Equal(total, _heap.FreeBytes);
        CheckWalk(total, "at the end");
        void* whole = _heap.Allocate(Length - 64);
        Assert.True(whole != null, "after freeing everything a region is still fragmented");
    }

    [Fact]
    public void RegionsReleasedWhileAnAllocationAreaIsOpen()
    {
        const int Length = 1 << 20;
        byte* first = NewRegion(Length), second = NewRegion(Length);
        Assert.True(_heap.AddRegion(first, Length));
        nuint one = _heap.TotalBytes;
        Assert.True(_heap.AddRegion(second, Length));
        byte* p = (byte*)_heap.AllocateObject(40);                       // opens an area in the newest region
        Assert.True(p >= second && p < second + Length);
        nuint releasedLength = 0;
        s_released = 0;
        // The object is garbage: the sweep retires the area, the region is wholly free again.
        _heap.Sweep();
        releasedLength = _heap.ReleaseEmptyRegions(&CountRelease, one / 2);
        Assert.Equal(1, s_released);
        Assert.True(releasedLength >= (nuint)Length - 16);
        Assert.Equal(one, _heap.TotalBytes);
        Assert.Equal(one, _heap.FreeBytes);
        byte* q = (byte*)_heap.AllocateObject(40);
        Assert.True(q >= first && q < first + Length, "the next object comes from the region left");
        CheckWalk(one, "after the release");
    }

    private static int s_released;
    private static void CountRelease(void* start, nuint length) => s_released++;
}
