// The physical frame allocator (src/Kernel/Core/FrameAllocator.cs), run on the host over a
// bitmap from NativeMemory with guard words on both sides: starting state, marking, single
// allocation (the one free frame found at every bit position) and contiguous allocation,
// freeing, the FrameCount limit, and a randomized run checked step by step against a
// HashSet model of the free frames.
using System.Runtime.InteropServices;
using ExoSharp.Kernel.Core;
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed unsafe class FrameAllocatorTests : IDisposable
{
    private const ulong Guard = 0xA5A5_5A5A_DEAD_BEEF;
    private readonly List<IntPtr> _blocks = new();

    // The bitmap handed to the allocator, and how many words it has (guards excluded).
    private ulong* _bitmap;
    private ulong _words;

    public void Dispose()
    {
        foreach (IntPtr block in _blocks) NativeMemory.Free((void*)block);
    }

    /// <summary>An allocator over a fresh bitmap whose words are first set to fill, with one
    /// guard word before and after it.</summary>
    private FrameAllocator Create(ulong frameCount, ulong fill = 0)
    {
        _words = FrameAllocator.BitmapWords(frameCount);
        ulong* raw = (ulong*)NativeMemory.Alloc((nuint)((_words + 2) * sizeof(ulong)));
        _blocks.Add((IntPtr)raw);
        raw[0] = Guard;
        for (ulong i = 0; i < _words; i++) raw[1 + i] = fill;
        raw[1 + _words] = Guard;
        _bitmap = raw + 1;
        return new FrameAllocator(_bitmap, frameCount);
    }

    private void AssertGuardsIntact()
    {
        Assert.Equal(Guard, _bitmap[-1]);
        Assert.Equal(Guard, _bitmap[_words]);
    }

    private ulong[] Snapshot()
    {
        var words = new ulong[_words + 2];
        for (ulong i = 0; i < _words + 2; i++) words[i] = (_bitmap - 1)[i];
        return words;
    }

    private static List<ulong> FreeFrames(FrameAllocator frames, ulong beyond = 0)
    {
        var free = new List<ulong>();
        for (ulong f = 0; f < frames.FrameCount + beyond; f++)
            if (frames.IsFree(f)) free.Add(f);
        return free;
    }

    [Fact]
    public void AllocateFindsTheOneFreeFrameAtEveryBitPosition()
    {
        // Allocate picks a word's free bit by halving: every position in every word, and
        // the partial last word, must come out exactly.
        FrameAllocator frames = Create(200);
        for (ulong f = 0; f < 200; f++)
        {
            frames.MarkFree(f, 1);
            Assert.Equal((long)f, frames.Allocate());
            Assert.Equal(-1L, frames.Allocate());
        }
        AssertGuardsIntact();
    }

    [Fact]
    public void BitmapWordsRoundsUpToWholeWords()
    {
        Assert.Equal(0UL, FrameAllocator.BitmapWords(0));
        Assert.Equal(1UL, FrameAllocator.BitmapWords(1));
        Assert.Equal(1UL, FrameAllocator.BitmapWords(64));
        Assert.Equal(2UL, FrameAllocator.BitmapWords(65));
        Assert.Equal(4UL, FrameAllocator.BitmapWords(200));
    }

    [Fact]
    public void EverythingStartsUsed()
    {
        // The bitmap starts all zero ("free"): the constructor must mark every frame used.
        FrameAllocator frames = Create(200, fill: 0);
        Assert.Equal(200UL, frames.FrameCount);
        Assert.Equal(0UL, frames.FreeCount);
        Assert.Empty(FreeFrames(frames, beyond: 64));
        Assert.Equal(-1L, frames.Allocate());
        Assert.Equal(-1L, frames.AllocateContiguous(1));
        Assert.False(frames.Allocate(0));
        Assert.False(frames.Allocate(199));
        AssertGuardsIntact();
    }

    [Fact]
    public void MarkFreeAndMarkUsedTrackFreeCount()
    {
        FrameAllocator frames = Create(200);
        frames.MarkFree(10, 20);
        Assert.Equal(20UL, frames.FreeCount);
        Assert.Equal(Enumerable.Range(10, 20).Select(i => (ulong)i), FreeFrames(frames));

        frames.MarkFree(25, 10);                 // overlaps 25..29: only 30..34 are new
        Assert.Equal(25UL, frames.FreeCount);
        Assert.Equal(Enumerable.Range(10, 25).Select(i => (ulong)i), FreeFrames(frames));

        frames.MarkFree(25, 10);                 // all already free: no change
        Assert.Equal(25UL, frames.FreeCount);

        frames.MarkUsed(0, 12);                  // only 10 and 11 were free
        Assert.Equal(23UL, frames.FreeCount);
        Assert.False(frames.IsFree(10));
        Assert.False(frames.IsFree(11));
        Assert.True(frames.IsFree(12));

        frames.MarkUsed(100, 5);                 // already used: no change
        Assert.Equal(23UL, frames.FreeCount);

        frames.MarkUsed(12, 23);
        Assert.Equal(0UL, frames.FreeCount);
        Assert.Empty(FreeFrames(frames));

        frames.MarkFree(63, 2);                  // across a word boundary
        Assert.Equal(new ulong[] { 63, 64 }, FreeFrames(frames));
        Assert.Equal(2UL, frames.FreeCount);
        AssertGuardsIntact();
    }

    [Fact]
    public void AllocateReturnsDistinctFreeFramesUntilExhaustedThenMinusOne()
    {
        FrameAllocator frames = Create(200);
        frames.MarkFree(5, 3);
        frames.MarkFree(70, 2);
        frames.MarkFree(130, 4);
        frames.MarkFree(199, 1);
        var expected = new HashSet<ulong>(FreeFrames(frames));
        Assert.Equal(10, expected.Count);

        var got = new HashSet<ulong>();
        for (int i = 0; i < 10; i++)
        {
            long frame = frames.Allocate();
            Assert.InRange(frame, 0, 199);
            Assert.Contains((ulong)frame, expected);
            Assert.True(got.Add((ulong)frame), $"frame {frame} handed out twice");
            Assert.False(frames.IsFree((ulong)frame));
            Assert.Equal((ulong)(9 - i), frames.FreeCount);
        }
        Assert.Equal(expected, got);
        Assert.Equal(-1L, frames.Allocate());
        Assert.Equal(-1L, frames.Allocate());
        Assert.Equal(0UL, frames.FreeCount);

        // A frame freed below everything handed out so far is found again.
        Assert.True(frames.Free(5));
        Assert.Equal(5L, frames.Allocate());
        Assert.Equal(-1L, frames.Allocate());
        AssertGuardsIntact();
    }

    [Fact]
    public void AllocateSpecificFrameSucceedsOnlyIfFree()
    {
        FrameAllocator frames = Create(200);
        frames.MarkFree(40, 1);
        Assert.False(frames.Allocate(41));       // in use
        Assert.False(frames.Allocate(200));      // out of range
        Assert.False(frames.Allocate(ulong.MaxValue));
        Assert.Equal(1UL, frames.FreeCount);

        Assert.True(frames.Allocate(40));
        Assert.False(frames.IsFree(40));
        Assert.Equal(0UL, frames.FreeCount);
        Assert.False(frames.Allocate(40));       // now in use
        Assert.Equal(0UL, frames.FreeCount);
        Assert.Equal(-1L, frames.Allocate());
        AssertGuardsIntact();
    }

    [Fact]
    public void FreeOfAFreeOrOutOfRangeFrameReturnsFalseAndChangesNothing()
    {
        FrameAllocator frames = Create(200);
        frames.MarkFree(0, 200);
        frames.MarkUsed(50, 10);
        ulong[] before = Snapshot();
        ulong freeBefore = frames.FreeCount;

        Assert.False(frames.Free(0));            // already free
        Assert.False(frames.Free(199));          // already free
        Assert.False(frames.Free(200));          // one past the end (its bit exists in the last word)
        Assert.False(frames.Free(250));          // still inside the last bitmap word
        Assert.False(frames.Free(256));          // past the bitmap
        Assert.False(frames.Free(ulong.MaxValue));
        Assert.Equal(before, Snapshot());
        Assert.Equal(freeBefore, frames.FreeCount);

        Assert.True(frames.Free(55));            // in use: freed
        Assert.True(frames.IsFree(55));
        Assert.Equal(freeBefore + 1, frames.FreeCount);
        Assert.False(frames.Free(55));           // a second time: refused
        Assert.Equal(freeBefore + 1, frames.FreeCount);
        AssertGuardsIntact();
    }

    [Fact]
    public void AllocateContiguousFindsRunsAcrossWholeFreeWordsAndTheLastFrames()
    {
        FrameAllocator frames = Create(300);
        frames.MarkFree(0, 300);
        frames.MarkUsed(0, 60);                                     // free from 60: mixed word, whole words, a part
        Assert.Equal(60L, frames.AllocateContiguous(150));          // 60..209: across words 1 and 2 whole
        Assert.False(frames.IsFree(209));
        Assert.True(frames.IsFree(210));
        Assert.Equal(210L, frames.AllocateContiguous(90));          // to the very last frame (299)
        Assert.Equal(-1L, frames.AllocateContiguous(1));            // nothing left; bits past 300 never count
        Assert.Equal(0UL, frames.FreeCount);
        AssertGuardsIntact();
    }

    [Fact]
    public void AllocateContiguousFindsTheFirstRunAndFailsWhenFragmented()
    {
        FrameAllocator frames = Create(256);
        frames.MarkFree(0, 256);
        for (ulong f = 0; f < 256; f += 4) frames.MarkUsed(f, 1);   // runs of 3 free frames
        Assert.Equal(192UL, frames.FreeCount);

        ulong[] before = Snapshot();
        Assert.Equal(-1L, frames.AllocateContiguous(4));             // fragmented: no run of 4
        Assert.Equal(-1L, frames.AllocateContiguous(0));
        Assert.Equal(-1L, frames.AllocateContiguous(257));
        Assert.Equal(before, Snapshot());                            // failures change nothing
        Assert.Equal(192UL, frames.FreeCount);

        Assert.Equal(1L, frames.AllocateContiguous(3));              // the first run
        Assert.False(frames.IsFree(1));
        Assert.False(frames.IsFree(2));
        Assert.False(frames.IsFree(3));
        Assert.Equal(189UL, frames.FreeCount);

        // Free 120..139: with 117..119 that makes the run 117..139, across the word at 128.
        frames.MarkFree(120, 20);
        Assert.Equal(117L, frames.AllocateContiguous(20));
        for (ulong f = 117; f < 137; f++) Assert.False(frames.IsFree(f), $"frame {f} still free");
        Assert.True(frames.IsFree(137));
        Assert.True(frames.IsFree(138));
        Assert.Equal(-1L, frames.AllocateContiguous(4));             // fragmented again
        AssertGuardsIntact();
    }

    [Fact]
    public void AllocateContiguousCanTakeEveryFrame()
    {
        FrameAllocator frames = Create(130);
        frames.MarkFree(0, 130);
        Assert.Equal(-1L, frames.AllocateContiguous(131));
        Assert.Equal(0L, frames.AllocateContiguous(130));
        Assert.Equal(0UL, frames.FreeCount);
        Assert.Equal(-1L, frames.Allocate());
        AssertGuardsIntact();
    }

    [Fact]
    public void FramesBeyondFrameCountAreIgnored()
    {
        FrameAllocator frames = Create(100);                         // 2 words: bits 100..127 exist
        frames.MarkFree(90, 50);
        Assert.Equal(10UL, frames.FreeCount);
        Assert.Equal(Enumerable.Range(90, 10).Select(i => (ulong)i), FreeFrames(frames, beyond: 64));
        Assert.Equal(~0UL << (100 - 64), _bitmap[1] & (~0UL << (100 - 64)));   // tail bits untouched

        frames.MarkFree(100, 28);                                    // entirely beyond: nothing
        frames.MarkFree(1000, 5);
        Assert.Equal(10UL, frames.FreeCount);

        for (int i = 0; i < 10; i++)
        {
            long frame = frames.Allocate();
            Assert.InRange(frame, 90, 99);
        }
        Assert.Equal(-1L, frames.Allocate());                        // never a frame >= 100
        Assert.Equal(-1L, frames.AllocateContiguous(1));

        frames.MarkFree(95, 5);
        frames.MarkUsed(97, 1000);                                   // clipped at the end
        Assert.Equal(2UL, frames.FreeCount);
        Assert.Equal(new ulong[] { 95, 96 }, FreeFrames(frames, beyond: 64));
        Assert.False(frames.IsFree(100));
        Assert.False(frames.IsFree(127));
        AssertGuardsIntact();
    }

    [Fact]
    public void RandomizedOperationsMatchAHashSetModel()
    {
        const ulong Count = 1000;                                    // not a multiple of 64
        var random = new Random(20240611);
        FrameAllocator frames = Create(Count, fill: 0x1234_5678_9ABC_DEF0);
        var free = new HashSet<ulong>();

        long ExpectedContiguous(ulong count)
        {
            if (count == 0) return -1;
            ulong run = 0;
            for (ulong f = 0; f < Count; f++)
            {
                run = free.Contains(f) ? run + 1 : 0;
                if (run == count) return (long)(f + 1 - count);
            }
            return -1;
        }

        ulong AnyFrame() => (ulong)random.Next(0, (int)Count + 80); // some beyond the end

        for (int step = 0; step < 20000; step++)
        {
            int op = random.Next(100);
            string what;
            if (op < 10)
            {
                ulong first = AnyFrame(), count = (ulong)random.Next(0, 40);
                what = $"MarkFree({first}, {count})";
                frames.MarkFree(first, count);
                for (ulong f = first; f < first + count && f < Count; f++) free.Add(f);
            }
            else if (op < 18)
            {
                ulong first = AnyFrame(), count = (ulong)random.Next(0, 40);
                what = $"MarkUsed({first}, {count})";
                frames.MarkUsed(first, count);
                for (ulong f = first; f < first + count && f < Count; f++) free.Remove(f);
            }
            else if (op < 50)
            {
                what = "Allocate()";
                long frame = frames.Allocate();
                if (free.Count == 0) Assert.Equal(-1L, frame);
                else
                {
                    Assert.True(frame >= 0 && free.Remove((ulong)frame), $"step {step}: Allocate() gave {frame}, not a free frame");
                }
            }
            else if (op < 60)
            {
                ulong frame = AnyFrame();
                what = $"Allocate({frame})";
                Assert.Equal(free.Remove(frame), frames.Allocate(frame));
            }
            else if (op < 90)
            {
                ulong frame = random.Next(4) == 0 ? AnyFrame() : (ulong)random.Next(0, (int)Count);
                what = $"Free({frame})";
                bool expected = frame < Count && !free.Contains(frame);
                Assert.Equal(expected, frames.Free(frame));
                if (expected) free.Add(frame);
            }
            else
            {
                ulong count = (ulong)random.Next(0, 9);
                what = $"AllocateContiguous({count})";
                long expected = ExpectedContiguous(count);
                Assert.Equal(expected, frames.AllocateContiguous(count));
                if (expected >= 0)
                    for (ulong f = (ulong)expected; f < (ulong)expected + count; f++) free.Remove(f);
            }

            Assert.True((ulong)free.Count == frames.FreeCount, $"step {step} ({what}): FreeCount {frames.FreeCount}, model {free.Count}");
            if (step % 500 == 0 || step == 19999)
            {
                for (ulong f = 0; f < Count + 64; f++)
                    Assert.True(free.Contains(f) == frames.IsFree(f), $"step {step} ({what}): frame {f} disagrees with the model");
                AssertGuardsIntact();
            }
        }
    }
}
