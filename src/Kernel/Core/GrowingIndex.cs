// An open-addressing hash index (linear probing, backward-shift deletion) from a 64-bit key to
// an int value, where the key is read back through the value (keyOf(context, value)): the
// reverse map's page and frame indexes, a capability table's frame index. It grows without
// stopping the kernel for long: past half full a small table (SmallTable slots) is rehashed into
// one twice its size at once; past a quarter full a larger one's successor is cleared a slice per insertion,
// then the old table's entries move over a few per insertion or deletion, lookups trying both
// meanwhile. Kernel heap only; interrupts off. Missing: shrinking.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace ExoSharp.Kernel.Core;

internal unsafe struct GrowingIndex
{
    private struct Table
    {
        public int* Slots;      // Mask + 1 entries: values or Empty
        public int Mask;
        public int Entries;
    }

    public const int Empty = -1;
    /// <summary>Slots cleared per insertion, and old slots looked at or entries moved per call, while growing.</summary>
    private const int ClearPerCall = 64, MovePerCall = 8;
    /// <summary>A table this small grows at once (bounded: about 80,000 instructions).</summary>
    private const int SmallTable = 4096;

    private Table _current, _old, _next;
    private int _cleared, _moveAt;
    private delegate*<void*, int, ulong> _keyOf;
    private void* _context;

    /// <summary>Where a key was found: a slot of the current table, or (InOld) of the old one.</summary>
    public struct Place
    {
        public int Slot;
        public bool InOld;
    }

    public void Initialize(delegate*<void*, int, ulong> keyOf, void* context)
    {
        _keyOf = keyOf;
        _context = context;
    }

    /// <summary>The key reader's context moved (a directory that grew).</summary>
    public void SetContext(void* context) => _context = context;

    public int Count => _current.Entries + _old.Entries;

    /// <summary>Room for `more` insertions (at most a few hundred at once); false when the kernel
    /// heap cannot grow without the frame reserve. Work: a slice, never the entries already there
    /// once past SmallTable slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Reserve(int more) => RoomFor(more) || Grow(more);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool RoomFor(int more) =>
        _current.Slots != null && Count + more <= (_current.Mask + 1) / 2 &&
        (_next.Slots != null || _old.Slots != null || _current.Mask + 1 <= SmallTable || Count + more <= (_current.Mask + 1) / 4);

    private bool Grow(int more)
    {
        if (_current.Slots == null)
        {
            int slots = 256;
            while (slots < 4 * more) slots *= 2;
            if (!Allocate(slots, out _current)) return false;
            Clear(_current, 0, slots);
            return true;
        }
        while (!RoomFor(more))
        {
            if (_next.Slots == null && _old.Slots == null)
            {
                if (_current.Mask + 1 <= SmallTable)
                {
                    if (!Rehash(2 * (_current.Mask + 1))) return false;
                    continue;
                }
                if (!Allocate(2 * (_current.Mask + 1), out _next)) return false;
                _cleared = 0;
                continue;
            }
            while (_next.Slots != null || _old.Slots != null) Step();     // (never, by the rates) behind
        }
        return true;
    }

    /// <summary>A small table grown at once: a cleared table of that many slots, the current
    /// table's entries put into it in one pass, the current one freed.</summary>
    private bool Rehash(int slots)
    {
        if (!Allocate(slots, out Table bigger)) return false;
        Clear(bigger, 0, slots);
        for (int i = 0; i <= _current.Mask; i++)
            if (_current.Slots[i] != Empty) Put(ref bigger, _keyOf(_context, _current.Slots[i]), _current.Slots[i]);
        Free(ref _current);
        _current = bigger;
        return true;
    }

    private static bool Allocate(int slots, out Table table)
    {
        table = default;
        ulong bytes = (ulong)slots * sizeof(int);
        if (bytes > (ulong)GlobalHeap.FreeBytes && !Memory.EnvironmentMayTake(bytes / 4096 + 2)) return false;
        table.Slots = (int*)GlobalHeap.Allocate((nuint)bytes);
        if (table.Slots == null) return false;
        table.Mask = slots - 1;
        return true;
    }

    private static void Free(ref Table table)
    {
        if (table.Slots != null) GlobalHeap.Free(table.Slots);
        table = default;
    }

    private static void Clear(Table table, int from, int to)
    {
        for (int i = from; i < to; i++) table.Slots[i] = Empty;
    }

    /// <summary>Frees the tables. Precondition: no use again (or Initialize first).</summary>
    public void Dispose()
    {
        Free(ref _current);
        Free(ref _old);
        Free(ref _next);
    }

    /// <summary>One slice of growing: clear part of the next table (switching to it when done),
    /// or move a few entries of the old one over. Called before every insertion and deletion,
    /// so a Place found after it stays valid until the next. Nothing when not growing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step()
    {
        if (_next.Slots != null || _old.Slots != null) GrowStep();
    }

    private void GrowStep()
    {
        if (_next.Slots != null)
        {
            int to = _cleared + ClearPerCall;
            if (to > _next.Mask + 1) to = _next.Mask + 1;
            Clear(_next, _cleared, to);
            _cleared = to;
            if (_cleared == _next.Mask + 1)
            {
                _old = _current;
                _current = _next;
                _next = default;
                _moveAt = 0;
            }
            return;
        }
        for (int units = 0; _old.Slots != null && units < MovePerCall; units++)
        {
            if (_old.Entries == 0)
            {
                Free(ref _old);
                return;
            }
            // Deleting at _moveAt shifts later entries back into it: look at it again. Slots
            // before _moveAt stay empty (nothing is placed in the old table any more), so no
            // probe run wraps into them.
            int value = _old.Slots[_moveAt];
            if (value == Empty)
            {
                _moveAt = (_moveAt + 1) & _old.Mask;
                continue;
            }
            Delete(ref _old, _moveAt);
            Put(ref _current, _keyOf(_context, value), value);
        }
    }

    /// <summary>Adds key -> value. Precondition: Reserve made room; key is not there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Insert(ulong key, int value)
    {
        Step();
        Put(ref _current, key, value);
    }

    /// <summary>Where key is, or false.</summary>
    public bool Find(ulong key, out Place place)
    {
        place = default;
        if (_current.Slots != null && (place.Slot = Find(_current, key)) >= 0) return true;
        if (_old.Slots == null) return false;
        place.InOld = true;
        return (place.Slot = Find(_old, key)) >= 0;
    }

    public int ValueAt(Place place) => (place.InOld ? _old : _current).Slots[place.Slot];

    /// <summary>Replaces the value at place by one with the same key.</summary>
    public void SetValueAt(Place place, int value) => (place.InOld ? _old : _current).Slots[place.Slot] = value;

    /// <summary>Removes the entry at place. Precondition: place came from Find after the last Step.</summary>
    public void DeleteAt(Place place)
    {
        if (place.InOld) Delete(ref _old, place.Slot);
        else Delete(ref _current, place.Slot);
    }

    private static int Hash(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & mask;

    private void Put(ref Table table, ulong key, int value)
    {
        int at = Hash(key, table.Mask);
        while (table.Slots[at] != Empty) at = (at + 1) & table.Mask;
        table.Slots[at] = value;
        table.Entries++;
    }

    private int Find(Table table, ulong key)
    {
        for (int at = Hash(key, table.Mask); table.Slots[at] != Empty; at = (at + 1) & table.Mask)
            if (_keyOf(_context, table.Slots[at]) == key) return at;
        return -1;
    }

    /// <summary>Empties slot `at`, shifting back the entries after it that probed past it.</summary>
    private void Delete(ref Table table, int at)
    {
        int hole = at;
        for (int j = (hole + 1) & table.Mask; table.Slots[j] != Empty; j = (j + 1) & table.Mask)
        {
            int home = Hash(_keyOf(_context, table.Slots[j]), table.Mask);
            // j's entry may move to the hole if its home is not cyclically within (hole, j]
            bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (stays) continue;
            table.Slots[hole] = table.Slots[j];
            hole = j;
        }
        table.Slots[hole] = Empty;
        table.Entries--;
    }
}
