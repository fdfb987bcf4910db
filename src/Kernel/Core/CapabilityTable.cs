// An environment's capabilities, named by handles (Abi/Capability.cs): handle =
// (generation << HandleIndexBits) | slot. Slot 0 is the environment itself, slot 1 the reply
// slot (only ever a Reply capability, whose generation may wrap: it can only ever name the
// holder's own current caller), slot 2 first holds the creator's endpoint. Lookups check type
// and generation, so forged, stale and freed handles all fail; a slot whose generation runs
// out is retired, so no handle ever names a second capability. Slots live in page-sized chunks
// (Capability.TableChunk slots each) behind a directory: the table grows a chunk at a time, out
// of the frames environments may take (never the kernel's reserve), and a slot never moves, so
// slot pointers stay valid while the table grows. Frame capabilities hold a reference on their
// frame (FrameTable) for as long as they exist.
// A frame index (GrowingIndex: frame -> the first of the table's capabilities for it, the rest
// linked through their slots) makes FindFrame O(1). Missing: giving chunks back when a table shrinks.
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.Kernel.Core;

internal sealed unsafe class CapabilityTable
{
    private const int ChunkShift = 6;
    private const int ChunkMask = Capability.TableChunk - 1;

    /// <summary>The chunk directory (_directorySize entries, _chunkCount of them filled).</summary>
    private CapabilitySlot** _chunks;
    private int _directorySize;
    private int _chunkCount;
    private int _used;
    private int _frames;
    /// <summary>No ordinary slot below this index is free (Insert starts here; Remove lowers it).</summary>
    private int _firstFree = FirstOrdinary;
    private const int FirstOrdinary = Capability.ReplySlot + 1;
    private readonly int _ownerIndex;

    /// <summary>The environment index whose table each chunk frame is (by frame number), so a
    /// slot reached through the derivation tree leads to its holder (OwnerOf).</summary>
    private static ushort* s_chunkOwners;
    /// <summary>Each chunk frame's place in its table's directory (by frame number): HandleOf in O(1).</summary>
    private static ushort* s_chunkNumbers;
    /// <summary>Frame -> index of the first slot of a frame capability for it (FindFrame).</summary>
    private GrowingIndex _frameIndex;

    /// <summary>Per chunk: its slots in use (any type but None; chunk 0 counts slot 0 and the
    /// reply slot always), so Insert skips full chunks.</summary>
    private ushort* _chunkUsed;
    /// <summary>stubs.asm's row for the holder: its directory and capacity follow growth.</summary>
    private EnvFast* _fast;

    /// <summary>A table with one chunk, or Ok false when no frame is left for it.</summary>
    public CapabilityTable(ulong selfId, int ownerIndex)
    {
        _ownerIndex = ownerIndex;
        _directorySize = 8;
        _chunks = (CapabilitySlot**)NativeMemory.AllocZeroed((nuint)(_directorySize * sizeof(void*)));
        _chunkUsed = (ushort*)NativeMemory.AllocZeroed((nuint)(_directorySize * sizeof(ushort)));
        _frameIndex.Initialize(&FrameOfSlot, _chunks);
        Ok = _chunks != null && _chunkUsed != null && Grow();
        if (!Ok) return;
        _chunks[0][0].Type = CapabilityType.Environment;
        _chunks[0][0].Rights = CapabilityRights.AllEnvironment;
        _chunks[0][0].Object = selfId;
        _used = 2;                  // slot 0, and the reply slot, which Insert never hands out
        _chunkUsed[0] = 2;
    }

    /// <summary>The index of the environment holding the table a slot is in.</summary>
    public static int OwnerOf(CapabilitySlot* slot) => s_chunkOwners[Memory.PhysicalOf(slot) >> 12];

    /// <summary>The caller itself (slot 0: the root of everything derived from its Self).</summary>
    public CapabilitySlot* SelfSlot => _chunks[0];

    /// <summary>The reply slot (Capability.ReplySlot).</summary>
    public CapabilitySlot* ReplySlot => _chunks[0] + Capability.ReplySlot;

    /// <summary>Fills the empty reply slot with a reply capability for callerId; its handle.</summary>
    public ulong SetReply(ulong callerId)
    {
        CapabilitySlot* slot = ReplySlot;
        slot->Type = CapabilityType.Reply;
        slot->Object = callerId;
        return HandleOf(Capability.ReplySlot, slot->Generation);
    }

    /// <summary>Uses up the reply capability: the slot is empty and its handle stale.</summary>
    public void ConsumeReply()
    {
        CapabilitySlot* slot = ReplySlot;
        slot->Type = CapabilityType.None;
        slot->Object = 0;
        slot->Generation = (slot->Generation + 1) & Capability.MaxGeneration;
    }

    public readonly bool Ok;

    /// <summary>Slots the table has now (a multiple of Capability.TableChunk).</summary>
    public int Capacity => _chunkCount << ChunkShift;


    /// <summary>How many frame capabilities the table holds.</summary>
    public int FrameCount => _frames;

    /// <summary>How many slots are in use (slot 0 and retired slots included).</summary>
    public int Used => _used;

    /// <summary>The holder's fast-path row: the table keeps its Slots and Capacity current.</summary>
    public void Publish(EnvFast* fast)
    {
        _fast = fast;
        fast->Slots = _chunks;
        fast->Capacity = (ulong)Capacity;
    }

    /// <summary>Slot index (below Capacity), for the kernel's self-check.</summary>
    public CapabilitySlot* SlotAt(int index) => At(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CapabilitySlot* At(int index) => _chunks[index >> ChunkShift] + (index & ChunkMask);

    /// <summary>The frame slot with the highest index below `below` (int.MaxValue: the most
    /// recently filled one), or null; index: its index, for the next call (repossession walks
    /// down the table once with it).</summary>
    public CapabilitySlot* LastFrame(int below, out int index)
    {
        for (int i = (below < Capacity ? below : Capacity) - 1; i > 0; i--)
            if (At(i)->Type == CapabilityType.Frame)
            {
                index = i;
                return At(i);
            }
        index = 0;
        return null;
    }

    private static ulong HandleOf(int index, ulong generation) => (generation << Capability.HandleIndexBits) | (uint)index;

    private static ulong FrameOfSlot(void* chunks, int index) =>
        (((CapabilitySlot**)chunks)[index >> ChunkShift] + (index & ChunkMask))->Object;

    private static int ChunkOf(CapabilitySlot* slot) => s_chunkNumbers[Memory.PhysicalOf(slot) >> 12];

    /// <summary>The handle of a slot of this table. O(1): the chunk's frame knows its place.</summary>
    public ulong HandleOf(CapabilitySlot* slot)
    {
        ulong frame = Memory.PhysicalOf(slot) >> 12;
        int c = s_chunkNumbers[frame];
        if (c >= _chunkCount || _chunks[c] != (CapabilitySlot*)((ulong)slot & ~4095UL)) return 0;     // not this table's
        return HandleOf((c << ChunkShift) + (int)(slot - _chunks[c]), slot->Generation);
    }

    /// <summary>The slot a handle names if it is of that type, else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CapabilitySlot* Lookup(ulong handle, CapabilityType type)
    {
        ulong index = handle & (Capability.MaxTableSize - 1), chunk = index >> ChunkShift;
        if (chunk >= (uint)_chunkCount) return null;         // index >= Capacity
        CapabilitySlot* slot = _chunks[chunk] + (index & ChunkMask);
        if (slot->Type != type || slot->Generation != handle >> Capability.HandleIndexBits) return null;
        return slot;
    }

    /// <summary>PageMapRange's check of one run of pages: the frame slot each of count handles
    /// names, into slots (null: not wanted), and the leaf entry it would install (frame * PageSize | bits), into
    /// entries; each handle is read once. current: the run's leaf entries now (zeroes where no
    /// table exists yet); every new entry is xor'ed with its current one into changed (the
    /// caller tests the frame and present bits). Returns count when all name frame capabilities
    /// (and, if writable, writable ones), else the first page's error as a run of Lookups
    /// would give it: Error.BadHandle or Error.NoRights.</summary>
    public long LookupFrames(ulong* handles, int count, bool writable, ulong bits, CapabilitySlot** slots, ulong* entries,
                             ulong* current, ref ulong changed)
    {
        CapabilitySlot** chunks = _chunks;
        ulong capacity = (ulong)Capacity;
        if (slots == null)
            return writable ? LookupFrames(handles, count, true, bits, null, entries, current, ref changed, chunks, capacity)
                            : LookupFrames(handles, count, false, bits, null, entries, current, ref changed, chunks, capacity);
        return writable ? LookupFrames(handles, count, true, bits, slots, entries, current, ref changed, chunks, capacity)
                        : LookupFrames(handles, count, false, bits, slots, entries, current, ref changed, chunks, capacity);
    }

    /// <summary>LookupFrames with writable and slots (null: not kept) constants once inlined, a loop
    /// for each, four pages a step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long LookupFrames(ulong* handles, int count, bool writable, ulong bits, CapabilitySlot** slots, ulong* entries,
                                     ulong* current, ref ulong changed, CapabilitySlot** chunks, ulong capacity)
    {
        ulong difference = 0;
        nint n = count, i = 0;
        for (; i < n - 3; i += 4)
        {
            if (!LookupFrame(handles, i, writable, bits, slots, entries, current, ref difference, chunks, capacity))
                return FrameError(handles[i], writable, chunks, capacity);
            if (!LookupFrame(handles, i + 1, writable, bits, slots, entries, current, ref difference, chunks, capacity))
                return FrameError(handles[i + 1], writable, chunks, capacity);
            if (!LookupFrame(handles, i + 2, writable, bits, slots, entries, current, ref difference, chunks, capacity))
                return FrameError(handles[i + 2], writable, chunks, capacity);
            if (!LookupFrame(handles, i + 3, writable, bits, slots, entries, current, ref difference, chunks, capacity))
                return FrameError(handles[i + 3], writable, chunks, capacity);
        }
        for (; i < n; i++)
            if (!LookupFrame(handles, i, writable, bits, slots, entries, current, ref difference, chunks, capacity))
                return FrameError(handles[i], writable, chunks, capacity);
        changed |= difference;
        return count;
    }

    /// <summary>LookupFrames' page i: false when its handle fails (then nothing is written). A
    /// writable frame capability's first two bytes are Type Frame and Writable 1: one comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LookupFrame(ulong* handles, nint i, bool writable, ulong bits, CapabilitySlot** slots, ulong* entries,
                                    ulong* current, ref ulong difference, CapabilitySlot** chunks, ulong capacity)
    {
        const ushort writableFrame = (ushort)CapabilityType.Frame | 1 << 8;
        ulong handle = handles[i];
        ulong index = handle & (Capability.MaxTableSize - 1);
        if (index >= capacity) return false;
        CapabilitySlot* slot = chunks[index >> ChunkShift] + (index & ChunkMask);
        if (writable ? *(ushort*)slot != writableFrame : slot->Type != CapabilityType.Frame) return false;
        if (slot->Generation != handle >> Capability.HandleIndexBits) return false;
        if (slots != null) slots[i] = slot;
        ulong entry = slot->Object * AddressSpace.PageSize | bits;
        entries[i] = entry;
        difference |= entry ^ current[i];
        return true;
    }

    /// <summary>The error of a handle LookupFrame refused, as Lookup then the Writable test give
    /// it (the pages before it all passed, so this one's error is the call's). Nothing is installed
    /// on this path, so reading the handle again here changes nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long FrameError(ulong handle, bool writable, CapabilitySlot** chunks, ulong capacity)
    {
        ulong index = handle & (Capability.MaxTableSize - 1);
        if (index >= capacity) return (long)Error.BadHandle;
        CapabilitySlot* slot = chunks[index >> ChunkShift] + (index & ChunkMask);
        if (slot->Type != CapabilityType.Frame || slot->Generation != handle >> Capability.HandleIndexBits) return (long)Error.BadHandle;
        return writable && !slot->Writable ? (long)Error.NoRights : (long)Error.BadHandle;
    }

    /// <summary>The slot a handle names whatever its type (never slot 0 or a free one), else null.</summary>
    public CapabilitySlot* LookupAny(ulong handle)
    {
        ulong index = handle & (Capability.MaxTableSize - 1);
        if (index == 0 || index >= (ulong)Capacity) return null;
        CapabilitySlot* slot = At((int)index);
        if (slot->Type == CapabilityType.None || slot->Type == CapabilityType.Retired ||
            slot->Generation != handle >> Capability.HandleIndexBits) return null;
        return slot;
    }

    /// <summary>Makes sure count more capabilities fit, growing the table; false when it
    /// cannot grow (MaxTableSize, or no frame left for a chunk).</summary>
    public bool Reserve(int count)
    {
        while (Capacity - _used < count)
            if (!Grow()) return false;
        return _frameIndex.Reserve(count);
    }

    /// <summary>One more chunk of free slots.</summary>
    private bool Grow()
    {
        if (Capacity >= Capability.MaxTableSize) return false;
        if (_chunkCount == _directorySize)
        {
            var bigger = (CapabilitySlot**)NativeMemory.AllocZeroed((nuint)(_directorySize * 2 * sizeof(void*)));
            var biggerUsed = (ushort*)NativeMemory.AllocZeroed((nuint)(_directorySize * 2 * sizeof(ushort)));
            if (bigger == null || biggerUsed == null)
            {
                if (bigger != null) NativeMemory.Free(bigger);
                if (biggerUsed != null) NativeMemory.Free(biggerUsed);
                return false;
            }
            for (int c = 0; c < _chunkCount; c++)
            {
                bigger[c] = _chunks[c];
                biggerUsed[c] = _chunkUsed[c];
            }
            NativeMemory.Free(_chunks);
            NativeMemory.Free(_chunkUsed);
            _chunks = bigger;
            _chunkUsed = biggerUsed;
            _frameIndex.SetContext(bigger);
            _directorySize *= 2;
        }
        var chunk = (CapabilitySlot*)Memory.AllocateZeroedFrameForEnvironment();
        if (chunk == null) return false;
        if (s_chunkOwners == null)
        {
            s_chunkOwners = (ushort*)NativeMemory.AllocZeroed((nuint)(Memory.Frames.FrameCount * sizeof(ushort)));
            s_chunkNumbers = (ushort*)NativeMemory.AllocZeroed((nuint)(Memory.Frames.FrameCount * sizeof(ushort)));
        }
        s_chunkOwners[Memory.PhysicalOf(chunk) >> 12] = (ushort)_ownerIndex;
        s_chunkNumbers[Memory.PhysicalOf(chunk) >> 12] = (ushort)_chunkCount;
        if (InitialGeneration != 0)
            for (int i = _chunkCount == 0 ? 1 : 0; i < Capability.TableChunk; i++) chunk[i].Generation = InitialGeneration;
        _chunks[_chunkCount++] = chunk;
        if (_fast != null) Publish(_fast);
        return true;
    }

    /// <summary>Adds a capability; returns its handle, or 0 when the table is full and cannot
    /// grow. A frame capability must come with a reference already taken on the frame.
    /// parent: what it is derived from (null: a root); rights: environment capabilities'.</summary>
    public ulong Insert(CapabilityType type, ulong obj, bool writable, CapabilitySlot* parent = null,
                        byte rights = CapabilityRights.AllEnvironment, ulong badge = 0)
    {
        if (!Reserve(1)) return 0;
        // The lowest free slot from _firstFree, full chunks skipped: at most the directory
        // (1024 chunks) plus one chunk's 64 slots looked at.
        for (int c = _firstFree >> ChunkShift; c < _chunkCount; c++)
        {
            if (_chunkUsed[c] == Capability.TableChunk) continue;
            int start = c == _firstFree >> ChunkShift ? _firstFree : c << ChunkShift;
            for (int i = start; i < (c + 1) << ChunkShift; i++)
            {
                CapabilitySlot* slot = At(i);
                if (slot->Type != CapabilityType.None) continue;
                _firstFree = i + 1;
                Fill(slot, type, obj, writable, parent, rights, badge);
                return HandleOf(i, slot->Generation);
            }
        }
        return 0;
    }

    /// <summary>Insert at a given free ordinary slot of the first chunk (EnvCreate's
    /// Capability.Parent). Precondition: the slot is free.</summary>
    public ulong InsertAt(int index, CapabilityType type, ulong obj, CapabilitySlot* parent, byte rights, ulong badge)
    {
        CapabilitySlot* slot = At(index);
        Fill(slot, type, obj, false, parent, rights, badge);
        if (_firstFree == index) _firstFree = index + 1;
        return HandleOf(index, slot->Generation);
    }

    private void Fill(CapabilitySlot* slot, CapabilityType type, ulong obj, bool writable, CapabilitySlot* parent, byte rights, ulong badge)
    {
        slot->Type = type;
        slot->Object = obj;
        slot->Writable = writable;
        slot->Rights = type == CapabilityType.Environment || type == CapabilityType.XnRoot ? rights : (byte)0;
        slot->Badge = badge;
        slot->MapCount = 0;
        slot->FirstChild = slot->LastChild = null;
        slot->NextSibling = slot->PreviousSibling = null;
        if (parent != null) Link(slot, parent);
        _used++;
        _chunkUsed[ChunkOf(slot)]++;
        if (type == CapabilityType.Frame)
        {
            _frames++;
            LinkFrame(slot);
        }
    }

    /// <summary>A parent as its children's list ends hold it: the pointer with bit 0 set
    /// (slots are 64-byte aligned, so no sibling pointer has it).</summary>
    private static CapabilitySlot* Tag(CapabilitySlot* parent) => (CapabilitySlot*)((ulong)parent | 1);
    private static bool IsTag(CapabilitySlot* link) => ((ulong)link & 1) != 0;
    private static CapabilitySlot* Untag(CapabilitySlot* link) => (CapabilitySlot*)((ulong)link & ~1UL);

    /// <summary>Makes child the newest child of parent in the derivation tree.</summary>
    private static void Link(CapabilitySlot* child, CapabilitySlot* parent)
    {
        CapabilitySlot* first = parent->FirstChild;
        child->PreviousSibling = Tag(parent);
        if (first == null)
        {
            child->NextSibling = Tag(parent);
            parent->LastChild = child;
        }
        else
        {
            child->NextSibling = first;
            first->PreviousSibling = child;
        }
        parent->FirstChild = child;
    }

    /// <summary>Takes a slot out of the derivation tree; its children take its place under its
    /// parent (or become roots), so dropping a capability never revokes what was derived
    /// from it. O(1): only the ends of the child list name the parent.</summary>
    private static void Unlink(CapabilitySlot* slot)
    {
        CapabilitySlot* before = slot->PreviousSibling, after = slot->NextSibling;
        CapabilitySlot* first = slot->FirstChild, last = slot->LastChild;
        if (first != null)
        {
            first->PreviousSibling = before;        // the children stand where slot stood
            last->NextSibling = after;
        }
        else
        {
            first = IsTag(after) ? null : after;    // what follows before: slot's next sibling
            last = IsTag(before) ? null : before;
        }
        if (before != null)
        {
            if (IsTag(before)) Untag(before)->FirstChild = first;
            else before->NextSibling = slot->FirstChild != null ? slot->FirstChild : after;
        }
        if (after != null)
        {
            if (IsTag(after)) Untag(after)->LastChild = last;
            else after->PreviousSibling = slot->LastChild != null ? slot->LastChild : before;
        }
        slot->FirstChild = slot->LastChild = slot->NextSibling = slot->PreviousSibling = null;
    }

    /// <summary>A frame capability for this frame, preferring a writable one; its handle or 0.
    /// O(1): the frame index names the first, and writable ones come first.</summary>
    public ulong FindFrame(ulong frame, out CapabilitySlot* found)
    {
        found = null;
        if (_frames == 0 || !_frameIndex.Find(frame, out GrowingIndex.Place place)) return 0;
        int index = _frameIndex.ValueAt(place);
        found = At(index);
        return HandleOf(index, found->Generation);
    }

    /// <summary>Adds a new frame capability to its frame's list (writable: first; else last).
    /// Precondition: Reserve made room in the index.</summary>
    private void LinkFrame(CapabilitySlot* slot)
    {
        int index = (int)(HandleOf(slot) & (Capability.MaxTableSize - 1));
        _frameIndex.Step();
        if (!_frameIndex.Find(slot->Object, out GrowingIndex.Place place))
        {
            slot->SameFrameNext = slot->SameFramePrev = index;
            _frameIndex.Insert(slot->Object, index);
            return;
        }
        int first = _frameIndex.ValueAt(place);
        CapabilitySlot* head = At(first);
        int last = head->SameFramePrev;
        slot->SameFrameNext = first;
        slot->SameFramePrev = last;
        At(last)->SameFrameNext = index;
        head->SameFramePrev = index;
        if (slot->Writable) _frameIndex.SetValueAt(place, index);
    }

    /// <summary>Takes a frame capability out of its frame's list.</summary>
    private void UnlinkFrame(CapabilitySlot* slot)
    {
        int index = (int)(HandleOf(slot) & (Capability.MaxTableSize - 1));
        _frameIndex.Step();
        if (!_frameIndex.Find(slot->Object, out GrowingIndex.Place place)) Panic.Halt("a frame capability missing from its table's frame index");
        int next = slot->SameFrameNext;
        if (next == index) _frameIndex.DeleteAt(place);
        else
        {
            At(slot->SameFramePrev)->SameFrameNext = next;
            At(next)->SameFramePrev = slot->SameFramePrev;
            if (_frameIndex.ValueAt(place) == index) _frameIndex.SetValueAt(place, next);
        }
    }

    /// <summary>Empties a slot (its frame reference is released by the caller's policy:
    /// Release below does both). The slot's next use gets a new generation; a slot whose
    /// generation has run out is retired instead.</summary>
    public void Remove(CapabilitySlot* slot)
    {
        if (slot->Type == CapabilityType.Frame)
        {
            _frames--;
            UnlinkFrame(slot);
        }
        Unlink(slot);
        slot->Object = 0;
        slot->MapCount = 0;
        slot->Badge = 0;
        slot->Rights = 0;
        if (++slot->Generation >= Capability.MaxGeneration)
        {
            slot->Type = CapabilityType.Retired;        // stays counted in _used
            return;
        }
        slot->Type = CapabilityType.None;
        _used--;
        _chunkUsed[ChunkOf(slot)]--;
        int index = (int)(HandleOf(slot) & (Capability.MaxTableSize - 1));
        if (index < _firstFree) _firstFree = index;
    }

    /// <summary>Removes a frame capability and releases its frame reference.</summary>
    public void Release(CapabilitySlot* slot)
    {
        ulong frame = slot->Object;
        Remove(slot);
        FrameTable.Release(frame);
    }

    /// <summary>Test hook (boot option capgen=near): the generation new slots start at, so
    /// retiring can be shown without 2^43 reuses. 0 otherwise.</summary>
    public static ulong InitialGeneration;

    /// <summary>Where DisposeSome has reached (slots above it are empty); -1 before it starts.</summary>
    private int _disposeAt = -1;

    /// <summary>Starts taking the table apart. Precondition: its holder has ended and its
    /// space maps none of these frames any more.</summary>
    public void BeginDispose() => _disposeAt = Capacity - 1;

    /// <summary>Takes the table apart a bounded step at a time (EnvTable's reaper): top slot
    /// down, each slot emptied (its children moved up, a frame's reference released) and each
    /// chunk freed costing one unit of budget. True when nothing is left. Until then every
    /// slot stays where it was, so the derivation tree may still lead into the table (a
    /// revocation elsewhere empties such a slot with Discard).</summary>
    public bool DisposeSome(ref int budget)
    {
        for (; _disposeAt >= 0; _disposeAt--)
        {
            if (budget-- <= 0) return false;
            Discard(At(_disposeAt));
        }
        while (_chunkCount > 0)
        {
            if (budget-- <= 0) return false;
            Memory.FreeFrame(Memory.PhysicalOf(_chunks[--_chunkCount]));
        }
        if (_chunks != null) NativeMemory.Free(_chunks);
        if (_chunkUsed != null) NativeMemory.Free(_chunkUsed);
        _chunks = null;
        _chunkUsed = null;
        _frameIndex.Dispose();
        return true;
    }

    /// <summary>Empties a slot of an ended holder's table: out of the tree (its children
    /// move up), a frame's reference released. Nothing of a space to unmap: it is gone.</summary>
    public void Discard(CapabilitySlot* slot)
    {
        Unlink(slot);
        if (slot->Type == CapabilityType.Frame) FrameTable.Release(slot->Object);
        if (slot->Type != CapabilityType.None && slot->Type != CapabilityType.Retired) slot->Type = CapabilityType.None;
        slot->Object = 0;
    }
}
