// Physical page frames (4 KiB), named by frame number, tracked in a bitmap (1 = in use).
// Pure logic over memory it is given, so tests/Unit runs it on the host. Everything starts
// in use; the boot code frees what the memory map says is RAM and reserves the kernel.
// Missing: per-frame owners (the exokernel interface adds them). Interrupts off.
namespace ExoSharp.Kernel.Core;

public unsafe sealed class FrameAllocator
{
    public const int FrameSize = 4096;

    private readonly ulong* _bitmap;
    private readonly ulong _frameCount;
    private ulong _freeCount;
    private ulong _searchStart;

    /// <param name="bitmap">Room for (frameCount + 63) / 64 words.</param>
    public FrameAllocator(ulong* bitmap, ulong frameCount)
    {
        _bitmap = bitmap;
        _frameCount = frameCount;
        for (ulong i = 0; i < (frameCount + 63) / 64; i++) bitmap[i] = ~0UL;
    }

    public ulong FrameCount => _frameCount;
    public ulong FreeCount => _freeCount;

    public static ulong BitmapWords(ulong frameCount) => (frameCount + 63) / 64;

    public bool IsFree(ulong frame) => frame < _frameCount && (_bitmap[frame / 64] & (1UL << (int)(frame % 64))) == 0;

    /// <summary>Marks [first, first + count) free; frames beyond the end are ignored.</summary>
    public void MarkFree(ulong first, ulong count)
    {
        ulong end = first < _frameCount && count < _frameCount - first ? first + count : _frameCount;
        for (ulong f = first; f < end; f++)
        {
            if (IsFree(f)) continue;
            _bitmap[f / 64] &= ~(1UL << (int)(f % 64));
            _freeCount++;
        }
        if (first < _searchStart) _searchStart = first;
    }

    /// <summary>Marks [first, first + count) in use (reserved); frames beyond the end are ignored.</summary>
    public void MarkUsed(ulong first, ulong count)
    {
        ulong end = first < _frameCount && count < _frameCount - first ? first + count : _frameCount;
        for (ulong f = first; f < end; f++)
        {
            if (!IsFree(f)) continue;
            _bitmap[f / 64] |= 1UL << (int)(f % 64);
            _freeCount--;
        }
    }

    /// <summary>Any free frame, or -1 when none is left.</summary>
    public long Allocate()
    {
        for (ulong word = _searchStart / 64; word < BitmapWords(_frameCount); word++)
        {
            if (_bitmap[word] == ~0UL) continue;
            int bit = LowestSetBit(~_bitmap[word]);
            ulong frame = word * 64 + (ulong)bit;
            if (frame >= _frameCount) return -1;
            _bitmap[word] |= 1UL << bit;
            _freeCount--;
            _searchStart = frame + 1;
            return (long)frame;
        }
        return -1;
    }

    /// <summary>The index of the lowest set bit. Precondition: value is not 0.</summary>
    private static int LowestSetBit(ulong value)
    {
        int bit = 0;
        if ((value & 0xFFFF_FFFF) == 0) { value >>= 32; bit += 32; }
        if ((value & 0xFFFF) == 0) { value >>= 16; bit += 16; }
        if ((value & 0xFF) == 0) { value >>= 8; bit += 8; }
        if ((value & 0xF) == 0) { value >>= 4; bit += 4; }
        if ((value & 0x3) == 0) { value >>= 2; bit += 2; }
        if ((value & 0x1) == 0) bit += 1;
        return bit;
    }

    /// <summary>The given frame if it is free, else false.</summary>
    public bool Allocate(ulong frame)
    {
        if (!IsFree(frame)) return false;
        MarkUsed(frame, 1);
        return true;
    }

    /// <summary>The first run of count free frames, or -1.</summary>
    public long AllocateContiguous(ulong count)
    {
        if (count == 0) return -1;
        // A word at a time: all-used words end a run, all-free words add 64 (bits past the
        // last frame stay set, so a free word is all in range); mixed words bit by bit.
        ulong run = 0, start = 0;
        for (ulong word = 0; word < BitmapWords(_frameCount); word++)
        {
            ulong bits = _bitmap[word];
            if (bits == ~0UL)
            {
                run = 0;
                continue;
            }
            if (bits == 0 && run + 64 < count)
            {
                if (run == 0) start = word * 64;
                run += 64;
                continue;
            }
            for (int bit = 0; bit < 64; bit++)
            {
                if ((bits & (1UL << bit)) != 0)
                {
                    run = 0;
                    continue;
                }
                if (run == 0) start = word * 64 + (ulong)bit;
                if (++run == count)
                {
                    MarkUsed(start, count);
                    return (long)start;
                }
            }
        }
        return -1;
    }

    /// <summary>Returns a frame. False (and nothing changes) if it was not in use or does not exist.</summary>
    public bool Free(ulong frame)
    {
        if (frame >= _frameCount || IsFree(frame)) return false;
        MarkFree(frame, 1);
        return true;
    }
}
