// One x86-64 address space: PML4 slots 256-511 are the kernel's (shared with every space,
// supervisor only), slots 0-255 map user pages (UserLayout). Page-table frames come from
// Memory; user frames are held by capabilities (FrameTable), so Destroy frees only the
// tables. Tables are reached through the direct map. Every user leaf entry is also in the
// space's ReverseMap (which frame each page maps), changed only here, so UnmapFrame costs
// the frame's own mappings. Precondition for callers that add a mapping: Reserve first.
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal sealed unsafe class AddressSpace
{
    public const ulong Present = 1, Writable = 2, User = 4, Large = 0x80;
    public const ulong NoExecute = 1UL << 63;
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    public const ulong PageSize = 4096;

    private readonly ulong* _pml4;
    private readonly ReverseMap _reverse = new ReverseMap();

    /// <summary>The physical address of the PML4 (what CR3 holds).</summary>
    public readonly ulong Root;

    private AddressSpace(ulong* pml4)
    {
        _pml4 = pml4;
        Root = Memory.PhysicalOf(pml4);
    }

    /// <summary>A new space sharing the kernel's half, or null when out of frames.</summary>
    public static AddressSpace Create()
    {
        ulong* pml4 = Memory.AllocateZeroedFrameForEnvironment();
        if (pml4 == null) return null;
        ulong* kernel = (ulong*)Memory.Pointer(Memory.KernelRoot);
        for (int i = 256; i < 512; i++) pml4[i] = kernel[i];
        pml4[KernelWindows.SharedSlot] = KernelWindows.SharedEntry;
        pml4[KernelWindows.RecursiveSlot] = Memory.PhysicalOf(pml4) | Present | User | NoExecute;
        return new AddressSpace(pml4);
    }

    public void Activate() => Cpu.WriteCr3(Root);

    /// <summary>The PML4 through the direct map (stubs.asm's PageMapOne walks it).</summary>
    public ulong* Pml4 => _pml4;

    public bool IsActive => Cpu.ReadCr3() == Root;

    /// <summary>Inside user space and clear of the kernel's windows (slots 253-254).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsUserRange(ulong address, ulong length) =>
        address >= UserLayout.Base && address < UserLayout.End && length <= UserLayout.End - address &&
        (address + length <= UserLayout.WindowsStart || address >= UserLayout.WindowsEnd);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsUserPage(ulong address) => (address & (PageSize - 1)) == 0 && IsUserRange(address, PageSize);

    /// <summary>The leaf entry for a user address, or 0 when nothing is mapped there.</summary>
    public ulong Query(ulong virtualAddress)
    {
        if (!IsUserRange(virtualAddress, 1)) return 0;
        ulong* entry = Walk(virtualAddress, false);
        return entry == null ? 0 : *entry;
    }

    /// <summary>Makes sure the tables down to the leaf exist and gives the leaf entry's address
    /// (null when out of frames), for SetLeaf: one walk per page. The pointer stays valid while the space lives (its
    /// tables are freed only by Destroy).</summary>
    public ulong* PrepareLeaf(ulong virtualAddress) => Walk(virtualAddress, true);

    /// <summary>The leaf entry for a user page when its tables exist (nothing is made), else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong* ExistingLeaf(ulong virtualAddress) => Walk(virtualAddress, false);

    /// <summary>Room in the reverse map for `pages` new mappings (false: out of memory).</summary>
    public bool Reserve(int pages) => _reverse.Reserve(pages);

    /// <summary>How many user pages are mapped (the reverse map's records).</summary>
    public int MappedPages => _reverse.Count;

    /// <summary>The reverse map, read by the kernel's self-check.</summary>
    public ReverseMap Reverse => _reverse;

    /// <summary>Set through a leaf from PrepareLeaf; active: IsActive, read once per batch.
    /// Precondition: IsUserPage(virtualAddress), leaf is its entry in this space, value a
    /// present entry, and Reserve made room when the page maps nothing or another frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetLeaf(ulong* leaf, ulong virtualAddress, ulong value, bool active)
    {
        UpcallCache.NoteChange(this, virtualAddress);
        Track(*leaf, virtualAddress, value);
        *leaf = value;
        if (active) Cpu.InvalidatePage(virtualAddress);
    }

    /// <summary>Sets count consecutive leaf entries from leaf (one leaf table) to values (present
    /// entries), the reverse map following only the pages whose frame changes; no TLB work and
    /// no upcall-cache note (the caller does both for the range). Precondition: the pages are
    /// user pages from virtualAddress, and Reserve made room for count new mappings.</summary>
    public void SetRun(ulong* leaf, ulong virtualAddress, ulong* values, int count)
    {
        nint i = 0;
        for (; i < count; i++)      // while the frames stay: flags only, no reverse map
        {
            ulong value = values[i];
            if (((leaf[i] ^ value) & (AddressMask | Present)) != 0) break;
            leaf[i] = value;
        }
        for (; i < count; i++)      // from the first page whose frame changes
        {
            Track(leaf[i], virtualAddress + (ulong)i * PageSize, values[i]);
            leaf[i] = values[i];
        }
    }

    /// <summary>The reverse map follows one leaf entry going from old to value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Track(ulong old, ulong virtualAddress, ulong value)
    {
        bool had = (old & Present) != 0, has = (value & Present) != 0;
        if (had && has && ((old ^ value) & AddressMask) == 0) return;     // same frame: flags only
        if (had) _reverse.Remove(virtualAddress);
        if (has) _reverse.Add(virtualAddress, (value & AddressMask) / PageSize);
    }

    /// <summary>Sets the leaf entry of a user page (a present entry); false when out of
    /// memory for the tables or the reverse map. Precondition: IsUserPage.</summary>
    public bool Set(ulong virtualAddress, ulong value)
    {
        if (!_reverse.Reserve(1)) return false;
        ulong* entry = Walk(virtualAddress, true);
        if (entry == null) return false;
        SetLeaf(entry, virtualAddress, value, IsActive);
        return true;
    }

    /// <summary>Maps a kernel-owned page user-readable (never writable) outside the user
    /// range (the repossession vector's window). False when out of frames.</summary>
    public bool MapReadOnlyWindow(ulong virtualAddress, ulong physicalAddress)
    {
        ulong* entry = Walk(virtualAddress, true);
        if (entry == null) return false;
        *entry = physicalAddress | Present | User | NoExecute;
        return true;
    }

    /// <summary>Builds a user leaf entry from a frame and Abi.PageFlags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Entry(ulong frame, ulong flags) =>
        (frame * PageSize) | Present | User | (flags & (PageFlags.Writable | PageFlags.Available)) |
        ((flags & PageFlags.Executable) != 0 ? 0 : NoExecute);

    /// <summary>Clears the mappings in [start, end), skipping absent tables whole, until unmaps
    /// mappings are undone or visits pages (or absent tables) looked at; returns the address
    /// reached (end or more: all done). Precondition: a user range.</summary>
    public ulong UnmapRange(ulong start, ulong end, ref int unmaps, ref int visits)
    {
        UpcallCache.NoteRangeChange(this, start, end);
        ulong va = start;
        while (unmaps > 0)
        {
            va = NextPresent(va, end, ref visits, out ulong* leaf);
            if (leaf == null) return va;
            _reverse.Remove(va);
            *leaf = 0;
            if (IsActive) Cpu.InvalidatePage(va);
            unmaps--;
            va += PageSize;
        }
        return va;
    }

    /// <summary>The first present user page in [va, end) and its leaf entry, skipping absent
    /// tables whole, one unit of visits per page or absent table looked at; end or more (leaf
    /// null) when none is left or visits ran out first. Precondition: a user range.</summary>
    public ulong NextPresent(ulong va, ulong end, ref int visits, out ulong* leaf)
    {
        leaf = null;
        while (va < end && visits-- > 0)
        {
            ulong* table = _pml4;
            int level = 3;
            for (; level > 0; level--)
            {
                ulong entry = table[(va >> (12 + 9 * level)) & 511];
                if ((entry & Present) == 0) break;
                table = Table(entry);
            }
            if (level > 0)
            {
                ulong span = 1UL << (12 + 9 * level);
                va = (va & ~(span - 1)) + span;        // the next region this level covers
                continue;
            }
            leaf = table + ((va >> 12) & 511);
            if ((*leaf & Present) != 0) return va;
            va += PageSize;
        }
        leaf = null;
        return va < end ? va : end;
    }

    /// <summary>Removes every mapping of a frame. Costs the frame's mappings in this space (the
    /// reverse map names them), never a table scan; unbounded: XN's cache revocation only.</summary>
    public void UnmapFrame(ulong frame)
    {
        int budget = int.MaxValue;
        UnmapFrame(frame, ref budget);
    }

    /// <summary>Removes mappings of a frame, one unit of budget each; true when none is left.</summary>
    public bool UnmapFrame(ulong frame, ref int budget)
    {
        bool active = IsActive;
        for (ulong va = _reverse.AnyPageOf(frame); va != 0; va = _reverse.AnyPageOf(frame))
        {
            if (budget <= 0) return false;
            budget--;
            ulong* leaf = Walk(va, false);
            if (leaf == null || (*leaf & AddressMask) / PageSize != frame) Panic.Halt("the reverse map names a page that does not map its frame");
            UpcallCache.NoteChange(this, va);
            _reverse.Remove(va);
            *leaf = 0;
            if (active) Cpu.InvalidatePage(va);
        }
        return true;
    }

    /// <summary>Calls visit(page, frame) for every present user leaf entry outside the kernel's
    /// windows (the self-check; a walk of all the tables, so never on a path a program can
    /// time); returns how many.</summary>
    public int Audit(delegate*<ulong, ulong, void> visit) =>
        Audit(0, UserLayout.WindowsStart, visit) + Audit(UserLayout.WindowsEnd, 1UL << 47, visit);

    private int Audit(ulong va, ulong end, delegate*<ulong, ulong, void> visit)
    {
        int present = 0, visits = int.MaxValue;
        for (; ; va += PageSize)
        {
            va = NextPresent(va, end, ref visits, out ulong* leaf);
            if (leaf == null) return present;
            present++;
            visit(va, (*leaf & AddressMask) / PageSize);
        }
    }

    /// <summary>Slots whose tables are not this space's to free or scan (shared, recursive).</summary>
    private static bool IsWindowSlot(int slot) => slot == KernelWindows.SharedSlot || slot == KernelWindows.RecursiveSlot;

    private static ulong* Table(ulong entry) => (ulong*)Memory.Pointer(entry & AddressMask);

    /// <summary>The leaf entry's address for a user address; when a table on the way is
    /// missing, null, or (create) the tables made (null when out of frames).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong* Walk(ulong virtualAddress, bool create)
    {
        ulong entry = _pml4[(virtualAddress >> 39) & 511];
        if ((entry & Present) != 0)
        {
            entry = *(ulong*)(Memory.DirectMap + (entry & AddressMask) + ((virtualAddress >> 27) & (511 * 8)));
            if ((entry & Present) != 0)
            {
                entry = *(ulong*)(Memory.DirectMap + (entry & AddressMask) + ((virtualAddress >> 18) & (511 * 8)));
                if ((entry & Present) != 0)
                    return (ulong*)(Memory.DirectMap + (entry & AddressMask) + ((virtualAddress >> 9) & (511 * 8)));
            }
        }
        return create ? WalkMaking(virtualAddress) : null;
    }

    /// <summary>Walk that makes the missing tables (zeroed, charged to the space).</summary>
    private ulong* WalkMaking(ulong virtualAddress)
    {
        ulong* table = _pml4;
        for (int level = 3; level > 0; level--)
        {
            ulong* entry = table + ((virtualAddress >> (12 + 9 * level)) & 511);
            if ((*entry & Present) == 0)
            {
                ulong* next = Memory.AllocateZeroedFrameForEnvironment();
                if (next == null) return null;
                _tables++;
                *entry = Memory.PhysicalOf(next) | Present | Writable | User;
            }
            table = Table(*entry);
        }
        return table + ((virtualAddress >> 12) & 511);
    }

    /// <summary>Frees the page-table frames of the user half: at once when there are few,
    /// else a bounded number a timer tick (ReapSome), so ending a large space never keeps
    /// interrupts off for long. Precondition: not active; the frames they map are held by
    /// capabilities, released separately (the tables are never used again).</summary>
    public void Destroy()
    {
        UpcallCache.NoteSpaceChange(this);
        int budget = ReapPerStep;
        if (_tables <= ReapPerStep && Reap(ref budget)) return;
        _nextDying = s_dying;
        s_dying = this;
        PendingWork.Reap = true;
    }

    /// <summary>Page-table frames freed a step (a tick) at most.</summary>
    public const int ReapPerStep = 128;

    private int _tables;                    // page-table frames below the PML4
    private AddressSpace _nextDying;        // the list of spaces being freed
    private static AddressSpace s_dying;
    private int _reapSlot, _reapPointer, _reapDirectory;    // where Reap has reached

    /// <summary>Whether destroyed spaces still hold tables.</summary>
    public static bool Reaping => s_dying != null;

    /// <summary>Every timer tick (and a little at system calls, EnvTable.ReapSome): frees up to
    /// budget tables (and reverse-map chunks) of destroyed spaces.</summary>
    public static void ReapSome(int budget = ReapPerStep)
    {
        while (s_dying != null && budget > 0)
        {
            AddressSpace space = s_dying;
            if (space.IsActive || !space.Reap(ref budget)) return;
            s_dying = space._nextDying;
        }
    }

    /// <summary>Frees the reverse map's records, then tables, until budget runs out (false: more
    /// to do) or all are gone (true, the PML4 too). Each step frees leaf tables one by one,
    /// their directories after them.</summary>
    private bool Reap(ref int budget)
    {
        if (!_reverse.FreeSome(ref budget)) return false;
        for (; _reapSlot < 256; _reapSlot++, _reapPointer = 0)
        {
            if ((_pml4[_reapSlot] & Present) == 0 || IsWindowSlot(_reapSlot)) continue;
            ulong* pdpt = Table(_pml4[_reapSlot]);
            for (; _reapPointer < 512; _reapPointer++, _reapDirectory = 0)
            {
                if ((pdpt[_reapPointer] & Present) == 0) continue;
                ulong* pd = Table(pdpt[_reapPointer]);
                for (; _reapDirectory < 512; _reapDirectory++)
                {
                    if ((pd[_reapDirectory] & Present) == 0) continue;
                    if (budget-- <= 0) return false;
                    Memory.FreeFrame(pd[_reapDirectory] & AddressMask);
                    pd[_reapDirectory] = 0;
                }
                Memory.FreeFrame(Memory.PhysicalOf(pd));
                pdpt[_reapPointer] = 0;
            }
            Memory.FreeFrame(Memory.PhysicalOf(pdpt));
            _pml4[_reapSlot] = 0;
        }
        Memory.FreeFrame(Root);
        return true;
    }
}
