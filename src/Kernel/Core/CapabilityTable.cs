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
// Missing: a faster find-by-frame than a scan; giving chunks back when a table shrinks.
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.Kernel.Core
{
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
        /// <summary>stubs.asm's row for the holder: its directory and capacity follow growth.</summary>
        private EnvFast* _fast;

        /// <summary>A table with one chunk, or Ok false when no frame is left for it.</summary>
        public CapabilityTable(ulong selfId, int ownerIndex)
        {
            _ownerIndex = ownerIndex;
            _directorySize = 8;
            _chunks = (CapabilitySlot**)NativeMemory.AllocZeroed((nuint)(_directorySize * sizeof(void*)));
            Ok = Grow();
            if (!Ok) return;
            _chunks[0][0].Type = CapabilityType.Environment;
            _chunks[0][0].Rights = CapabilityRights.AllEnvironment;
            _chunks[0][0].Object = selfId;
            _used = 2;                  // slot 0, and the reply slot, which Insert never hands out
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

        /// <summary>Frames the table itself takes (its chunks), charged to its holder.</summary>
        public int ChunkFrames => _chunkCount;

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

        /// <summary>The handle of a slot of this table.</summary>
        public ulong HandleOf(CapabilitySlot* slot)
        {
            for (int c = 0; c < _chunkCount; c++)
                if (slot >= _chunks[c] && slot < _chunks[c] + Capability.TableChunk)
                    return HandleOf((c << ChunkShift) + (int)(slot - _chunks[c]), slot->Generation);
            return 0;
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
            return true;
        }

        /// <summary>One more chunk of free slots.</summary>
        private bool Grow()
        {
            if (Capacity >= Capability.MaxTableSize) return false;
            if (_chunkCount == _directorySize)
            {
                var bigger = (CapabilitySlot**)NativeMemory.AllocZeroed((nuint)(_directorySize * 2 * sizeof(void*)));
                if (bigger == null) return false;
                for (int c = 0; c < _chunkCount; c++) bigger[c] = _chunks[c];
                NativeMemory.Free(_chunks);
                _chunks = bigger;
                _directorySize *= 2;
            }
            var chunk = (CapabilitySlot*)Memory.AllocateZeroedFrameForEnvironment();
            if (chunk == null) return false;
            if (s_chunkOwners == null)
                s_chunkOwners = (ushort*)NativeMemory.AllocZeroed((nuint)(Memory.Frames.FrameCount * sizeof(ushort)));
            s_chunkOwners[Memory.PhysicalOf(chunk) >> 12] = (ushort)_ownerIndex;
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
            for (int i = _firstFree; i < Capacity; i++)
            {
                CapabilitySlot* slot = At(i);
                if (slot->Type != CapabilityType.None) continue;
                _firstFree = i + 1;
                Fill(slot, type, obj, writable, parent, rights, badge);
                return HandleOf(i, slot->Generation);
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
            slot->Rights = type == CapabilityType.Environment ? rights : (byte)0;
            slot->Badge = badge;
            slot->MapCount = 0;
            slot->FirstChild = null;
            slot->Parent = null;
            slot->NextSibling = slot->PreviousSibling = null;
            if (parent != null) Link(slot, parent);
            _used++;
            if (type == CapabilityType.Frame) _frames++;
        }

        /// <summary>Makes child the newest child of parent in the derivation tree.</summary>
        private static void Link(CapabilitySlot* child, CapabilitySlot* parent)
        {
            child->Parent = parent;
            child->PreviousSibling = null;
            child->NextSibling = parent->FirstChild;
            if (parent->FirstChild != null) parent->FirstChild->PreviousSibling = child;
            parent->FirstChild = child;
        }

        /// <summary>Takes a slot out of the derivation tree; its children move up to its parent
        /// (or become roots), so dropping a capability never revokes what was derived from it.</summary>
        private static void Unlink(CapabilitySlot* slot)
        {
            CapabilitySlot* parent = slot->Parent;
            for (CapabilitySlot* c = slot->FirstChild; c != null;)
            {
                CapabilitySlot* next = c->NextSibling;
                c->Parent = null;
                c->NextSibling = c->PreviousSibling = null;
                if (parent != null) Link(c, parent);
                c = next;
            }
            slot->FirstChild = null;
            if (slot->PreviousSibling != null) slot->PreviousSibling->NextSibling = slot->NextSibling;
            else if (parent != null) parent->FirstChild = slot->NextSibling;
            if (slot->NextSibling != null) slot->NextSibling->PreviousSibling = slot->PreviousSibling;
            slot->Parent = slot->NextSibling = slot->PreviousSibling = null;
        }

        /// <summary>A frame capability for this frame, preferring a writable one; its handle or 0.</summary>
        public ulong FindFrame(ulong frame, out CapabilitySlot* found)
        {
            found = null;
            ulong handle = 0;
            if (_frames == 0) return 0;
            for (int i = 1; i < Capacity; i++)
            {
                CapabilitySlot* slot = At(i);
                if (slot->Type != CapabilityType.Frame || slot->Object != frame) continue;
                if (found == null || (slot->Writable && !found->Writable))
                {
                    found = slot;
                    handle = HandleOf(i, slot->Generation);
                }
            }
            return handle;
        }

        /// <summary>Empties a slot (its frame reference is released by the caller's policy:
        /// Release below does both). The slot's next use gets a new generation; a slot whose
        /// generation has run out is retired instead.</summary>
        public void Remove(CapabilitySlot* slot)
        {
            if (slot->Type == CapabilityType.Frame) _frames--;
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

        /// <summary>Releases every frame capability and frees the table. Precondition: the
        /// environment's page tables no longer map any of these frames.</summary>
        public void Dispose()
        {
            for (int i = 0; i < Capacity; i++)
            {
                CapabilitySlot* slot = At(i);
                Unlink(slot);
                if (slot->Type == CapabilityType.Frame) FrameTable.Release(slot->Object);
            }
            for (int c = 0; c < _chunkCount; c++) Memory.FreeFrame(Memory.PhysicalOf(_chunks[c]));
            NativeMemory.Free(_chunks);
            _chunkCount = 0;
        }
    }
}
