// An environment's capabilities, named by handles (Abi/Capability.cs): handle =
// (generation << 16) | slot. Slot 0 is the environment itself. Lookups check type and
// generation, so forged, stale and freed handles all fail. Frame capabilities hold a
// reference on their frame (FrameTable) for as long as they exist.
// Missing: a faster find-by-frame than a scan; capabilities for time slots.
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.Kernel.Core
{
    internal sealed unsafe class CapabilityTable
    {
        private readonly CapabilitySlot* _slots;
        private int _used;
        private int _frames;
        /// <summary>No slot below this index is free (Insert starts here; Remove lowers it).</summary>
        private int _firstFree = 1;
        /// <summary>No slot above this index has ever been filled (scans stop here).</summary>
        private int _highest;

        public CapabilityTable(ulong selfId)
        {
            _slots = (CapabilitySlot*)NativeMemory.AllocZeroed((nuint)(Capability.TableSize * sizeof(CapabilitySlot)));
            _slots[0].Type = CapabilityType.Environment;
            _slots[0].Object = selfId;
            _used = 1;
        }

        public int FreeSlots => Capability.TableSize - _used;

        /// <summary>The slots themselves (Capability.TableSize of them), for stubs.asm's PageMapOne.</summary>
        public CapabilitySlot* Slots => _slots;

        /// <summary>How many frame capabilities the table holds.</summary>
        public int FrameCount => _frames;

        /// <summary>The frame slot with the highest index below `below` (Capability.TableSize:
        /// the most recently filled one), or null; repossession walks down once with it.</summary>
        public CapabilitySlot* LastFrame(int below = Capability.TableSize)
        {
            for (int i = (below <= _highest ? below - 1 : _highest); i > 0; i--)
                if (_slots[i].Type == CapabilityType.Frame) return _slots + i;
            return null;
        }

        /// <summary>The index of a slot of this table (for LastFrame's below).</summary>
        public int IndexOf(CapabilitySlot* slot) => (int)(slot - _slots);

        private static ulong HandleOf(int index, ushort generation) => ((ulong)generation << 16) | (uint)index;

        /// <summary>The slot a handle names if it is of that type, else null.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public CapabilitySlot* Lookup(ulong handle, CapabilityType type)
        {
            ulong index = handle & 0xFFFF;
            if (handle >> 32 != 0 || index >= Capability.TableSize) return null;
            CapabilitySlot* slot = _slots + index;
            if (slot->Type != type || slot->Generation != (ushort)(handle >> 16)) return null;
            return slot;
        }

        /// <summary>Adds a capability; returns its handle, or 0 when the table is full.
        /// A frame capability must come with a reference already taken on the frame.</summary>
        public ulong Insert(CapabilityType type, ulong obj, bool writable)
        {
            for (int i = _firstFree; i < Capability.TableSize; i++)
            {
                CapabilitySlot* slot = _slots + i;
                if (slot->Type != CapabilityType.None) continue;
                _firstFree = i + 1;
                if (i > _highest) _highest = i;
                slot->Type = type;
                slot->Object = obj;
                slot->Writable = writable;
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
            for (int i = 1; i <= _highest; i++)
            {
                CapabilitySlot* slot = _slots + i;
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
        /// Release below does both). The slot's next use gets a new generation.</summary>
        public void Remove(CapabilitySlot* slot)
        {
            if (slot->Type == CapabilityType.Frame) _frames--;
            slot->Type = CapabilityType.None;
            slot->Object = 0;
            slot->Generation++;
            _used--;
            int index = (int)(slot - _slots);
            if (index < _firstFree) _firstFree = index;
        }

        /// <summary>Removes a frame capability and releases its frame reference.</summary>
        public void Release(CapabilitySlot* slot)
        {
            ulong frame = slot->Object;
            Remove(slot);
            FrameTable.Release(frame);
        }

        /// <summary>Releases every frame capability and frees the table. Precondition: the
        /// environment's page tables no longer map any of these frames.</summary>
        public void Dispose()
        {
            for (int i = 1; i < Capability.TableSize; i++)
                if (_slots[i].Type == CapabilityType.Frame) FrameTable.Release(_slots[i].Object);
            NativeMemory.Free(_slots);
        }
    }
}
