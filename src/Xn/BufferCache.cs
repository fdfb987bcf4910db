// XN's buffer cache: a fixed number of slots, each one page (4096 bytes, page-aligned, with its
// frame number) from an IPageSource, holding one block (the registry entry names its slot). All
// pages are taken when the cache is built; a slot is zeroed when taken, so a reused page never
// shows a previous block. Which blocks stay in core is the library OS's policy (Fetch, Evict); XN
// only refuses to evict dirty ones. Missing: mapping counts (a mapped slot may still be reused).
using System;

namespace ExoSharp.Xn;

public sealed unsafe class BufferCache
{
    private readonly byte*[] _pages;
    private readonly ulong[] _frames;
    private readonly uint[] _blocks;
    private readonly bool[] _reading;
    private readonly int[] _free;
    private int _freeCount;

    /// <summary>Takes `slots` pages from pages; fewer when it runs dry (then IsShort).</summary>
    public BufferCache(int slots, IPageSource pages)
    {
        _pages = new byte*[slots];
        _frames = new ulong[slots];
        int got = 0;
        while (got < slots)
        {
            byte* page = pages.Take(out ulong frame);
            if (page == null) break;
            _pages[got] = page;
            _frames[got] = frame;
            got++;
        }
        IsShort = got < slots;
        _blocks = new uint[got];
        _reading = new bool[got];
        _free = new int[got];
        for (int i = 0; i < got; i++)
        {
            _blocks[i] = XnVolume.NoBlock;
            _free[i] = got - 1 - i;
        }
        _freeCount = got;
    }

    /// <summary>The page source ran out before every slot had its page.</summary>
    public bool IsShort { get; }
    public int Capacity => _blocks.Length;
    public int FreeSlots => _freeCount;
    /// <summary>How many times a slot was released: while it stays the same, no block left the
    /// cache (the kernel's registry window then needs only the rows of the blocks a call named).</summary>
    public ulong Releases { get; private set; }

    /// <summary>A slot for block with all-zero contents, or -1 when the cache is full.</summary>
    public int Take(uint block)
    {
        if (_freeCount == 0) return -1;
        int slot = _free[--_freeCount];
        ulong* words = (ulong*)_pages[slot];
        for (int i = 0; i < XnLayout.BlockSize / 8; i++) words[i] = 0;     // Span.Clear goes byte by byte
        _blocks[slot] = block;
        _reading[slot] = false;
        return slot;
    }

    /// <summary>Precondition: slot was taken and not released since.</summary>
    public void Release(int slot)
    {
        _blocks[slot] = XnVolume.NoBlock;
        _reading[slot] = false;
        _free[_freeCount++] = slot;
        Releases++;
    }

    /// <summary>The slot's page (BlockSize bytes, page-aligned).</summary>
    public byte* Page(int slot) => _pages[slot];
    public ulong Frame(int slot) => _frames[slot];
    public Span<byte> Bytes(int slot) => new Span<byte>(_pages[slot], XnLayout.BlockSize);
    public uint BlockOf(int slot) => _blocks[slot];
    public bool IsReading(int slot) => _reading[slot];
    public void SetReading(int slot, bool reading) => _reading[slot] = reading;
}
