// An environment's capabilities, named by handles (Abi/Capability.cs): handle =
// (generation << HandleIndexBits) | slot. Slot 0 is the environment itself. Lookups check type
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
        private const int ChunkShift = 7;
        private const int ChunkMask = Capability.TableChunk - 1;

        /// <summary>The chunk directory (_directorySize entries, _chunkCount of them filled).</summary>
        private CapabilitySlot** _chunks;
        private int _directorySize;
        private int _chunkCount;
        private int _used;
        private int _frames;
        /// <summary>No slot below this index is free (Insert starts here; Remove lowers it).</summary>
        private int _firstFree = 1;
        /// <summary>stubs.asm's row for the holder: its directory and capacity follow growth.</summary>
        private EnvFast* _fast;

        /// <summary>A table with one chunk, or Ok false when no frame is left for it.</summary>
        public CapabilityTable(ulong selfId)
        {
            _directorySize = 8;
            _chunks = (CapabilitySlot**)NativeMemory.AllocZeroed((nuint)(_directorySize * sizeof(void*)));
            Ok = Grow();
            if (!Ok) return;
            _chunks[0][0].Type = CapabilityType.Environment;
            _chunks[0][0].Rights = CapabilityRights.All;
            _chunks[0][0].Object = selfId;
            _used = 1;
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private CapabilitySlot* At(int index) => _chunks[index >> ChunkShift] + (index & ChunkMask);

        /// <summary>The most recently filled frame slot (highest index), or null.</summary>
        public CapabilitySlot* LastFrame()
        {
            for (int i = Capacity - 1; i > 0; i--)
                if (At(i)->Type == CapabilityType.Frame) return At(i);
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
            ulong index = handle & (Capability.MaxTableSize - 1);
            if (index >= (ulong)Capacity) return null;
            CapabilitySlot* slot = At((int)index);
            if (slot->Type != type || slot->Generation != handle >> Capability.HandleIndexBits) return null;
            return slot;
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
            if (InitialGeneration != 0)
                for (int i = _chunkCount == 0 ? 1 : 0; i < Capability.TableChunk; i++) chunk[i].Generation = InitialGeneration;
            _chunks[_chunkCount++] = chunk;
            if (_fast != null) Publish(_fast);
            return true;
        }

        /// <summary>Adds a capability; returns its handle, or 0 when the table is full and cannot
        /// grow. A frame capability must come with a reference already taken on the frame.</summary>
        public ulong Insert(CapabilityType type, ulong obj, bool writable)
        {
            if (!Reserve(1)) return 0;
            for (int i = _firstFree; i < Capacity; i++)
            {
                CapabilitySlot* slot = At(i);
                if (slot->Type != CapabilityType.None) continue;
                _firstFree = i + 1;
                slot->Type = type;
                slot->Object = obj;
                slot->Writable = writable;
                slot->Rights = type == CapabilityType.Environment ? CapabilityRights.All : (byte)0;
                slot->Badge = 0;
                slot->MapCount = 0;
                _used++;
                if (type == CapabilityType.Frame) _frames++;
                return HandleOf(i, slot->Generation);
            }
            return 0;
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
            for (int i = 1; i < Capacity; i++)
                if (At(i)->Type == CapabilityType.Frame) FrameTable.Release(At(i)->Object);
            for (int c = 0; c < _chunkCount; c++) Memory.FreeFrame(Memory.PhysicalOf(_chunks[c]));
            NativeMemory.Free(_chunks);
            _chunkCount = 0;
        }
    }
}
