// The reverse map of one address space: for every user leaf entry, which frame it maps, kept
// by AddressSpace in step with the entries themselves, so "every mapping of frame F here" is
// a walk of F's own records (cost: F's mappings) and no mapping can be missed or miscounted.
// Records { page, frame } live in fixed chunks (they never move) and are chained per frame
// (doubly linked); two GrowingIndexes find a page's record and a frame's first record, and
// grow a slice per call, so every call costs a bounded amount whatever the space's size.
// About 40 bytes per mapping. Missing: shrinking after a space unmaps most of its pages.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace ExoSharp.Kernel.Core;

internal sealed unsafe class ReverseMap
{
    private struct Record
    {
        public ulong Page;      // the user address (0: a free record)
        public ulong Frame;
        public int Next, Prev;  // the same frame's other records (-1: none); Next chains free ones
    }

    private const int Empty = -1;
    private const int ChunkShift = 7, ChunkRecords = 1 << ChunkShift;

    private Record** _chunks;
    private int _chunkCount, _directorySize;
    private int _count, _free = Empty;
    private GrowingIndex _byPage, _byFrame;

    public ReverseMap()
    {
        _byPage.Initialize(&PageKey, null);
        _byFrame.Initialize(&FrameKey, null);
    }

    private static ulong PageKey(void* chunks, int r) => (((Record**)chunks)[r >> ChunkShift] + (r & (ChunkRecords - 1)))->Page;
    private static ulong FrameKey(void* chunks, int r) => (((Record**)chunks)[r >> ChunkShift] + (r & (ChunkRecords - 1)))->Frame;

    public int Count => _count;

    /// <summary>Records that exist (used or free), for the kernel's self-check.</summary>
    public int Capacity => _chunkCount << ChunkShift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Record* At(int r) => _chunks[r >> ChunkShift] + (r & (ChunkRecords - 1));

    /// <summary>Makes room so that the next `more` Adds cannot fail (more: at most a page
    /// table's 512 entries); false when the kernel heap cannot grow without the frame
    /// reserve. Work: proportional to more, never to the records already there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Reserve(int more) =>
        (_count + more <= Capacity || AddChunks(more)) && _byPage.Reserve(more) && _byFrame.Reserve(more);

    private bool AddChunks(int more)
    {
        int chunks = (_count + more + ChunkRecords - 1) >> ChunkShift;
        while (_chunkCount < chunks)
            if (!AddChunk()) return false;
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
            _byPage.SetContext(directory);
            _byFrame.SetContext(directory);
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

    /// <summary>Records that page maps frame. Precondition: Reserve made room; no record for page.</summary>
    public void Add(ulong page, ulong frame)
    {
        int r = _free;
        if (r == Empty) Panic.Halt("ReverseMap.Add without Reserve");
        Record* rec = At(r);
        _free = rec->Next;
        rec->Page = page;
        rec->Frame = frame;
        rec->Prev = Empty;
        _byFrame.Step();
        if (_byFrame.Find(frame, out GrowingIndex.Place head))
        {
            int first = _byFrame.ValueAt(head);
            rec->Next = first;
            At(first)->Prev = r;
            _byFrame.SetValueAt(head, r);
        }
        else
        {
            rec->Next = Empty;
            _byFrame.Insert(frame, r);
        }
        _byPage.Insert(page, r);
        _count++;
    }

    /// <summary>Forgets page's record (nothing when it has none).</summary>
    public void Remove(ulong page)
    {
        _byPage.Step();
        if (!_byPage.Find(page, out GrowingIndex.Place place)) return;
        int r = _byPage.ValueAt(place);
        _byPage.DeleteAt(place);
        Record* rec = At(r);
        if (rec->Prev != Empty) At(rec->Prev)->Next = rec->Next;
        else
        {
            _byFrame.Step();
            _byFrame.Find(rec->Frame, out GrowingIndex.Place head);
            if (rec->Next != Empty) _byFrame.SetValueAt(head, rec->Next);
            else _byFrame.DeleteAt(head);
        }
        if (rec->Next != Empty) At(rec->Next)->Prev = rec->Prev;
        rec->Page = 0;
        rec->Next = _free;
        _free = r;
        _count--;
    }

    /// <summary>A page that maps frame, or 0 when none does.</summary>
    public ulong AnyPageOf(ulong frame) =>
        _byFrame.Find(frame, out GrowingIndex.Place head) ? At(_byFrame.ValueAt(head))->Page : 0;

    /// <summary>The frame page maps according to the records, or ulong.MaxValue (self-checks).</summary>
    public ulong FrameAt(ulong page) =>
        _byPage.Find(page, out GrowingIndex.Place place) ? At(_byPage.ValueAt(place))->Frame : ulong.MaxValue;

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
        _byPage.Dispose();
        _byFrame.Dispose();
        return true;
    }
}
