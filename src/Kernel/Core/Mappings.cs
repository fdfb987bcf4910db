// Frames and page mappings on behalf of environments: the secure binding. A mapping is
// installed only with a frame capability from the caller's table (write access only with a
// writable one) into an environment the caller holds a handle for; the target then holds its
// own capability for the frame, so every page an environment maps is one it holds.
// Dropping a frame capability removes every mapping of that frame in that environment,
// found through the space's reverse map (Core/ReverseMap.cs): the cost is those mappings.
// A frame reference the frame table refuses (its 16-bit count is full) is never handed out.
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Mappings
{
    /// <summary>A new zeroed frame and a handle for it in env's table.</summary>
    public static long AllocateFrame(Environment env, ulong frame)
    {
        if (frame != Capability.AnyFrame && frame >= Memory.Frames.FrameCount) return (long)Error.NoMemory;
        if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
        if (!Accounts.MayTake(1)) return Accounts.Refusal(Accounts.Charging);
        long got = FrameTable.Allocate(frame);
        if (got < 0) return (long)Error.NoMemory;
        return (long)env.Capabilities.Insert(CapabilityType.Frame, (ulong)got, true);
    }

    /// <summary>FrameFree(handle): unmaps the frame from env's space, at most
    /// Capability.UnmapPerCall mappings a call, then drops the capability: 0 when it is gone,
    /// 1 when mappings are left (the capability stays; call again).</summary>
    public static long FreeFrame(Environment env, ulong handle)
    {
        int budget = (int)Capability.UnmapPerCall;
        return FreeFrame(env, handle, ref budget);
    }

    /// <summary>FreeFrame spending a caller's budget of mappings (CapRevoke shares one).</summary>
    public static long FreeFrame(Environment env, ulong handle, ref int budget)
    {
        CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Frame);
        if (slot == null) return (long)Error.BadHandle;
        if (!env.Space.UnmapFrame(slot->Object, ref budget)) return 1;
        env.Capabilities.Release(slot);
        return 0;
    }

    /// <summary>Per-page results of MapRange's and Share's checking pass, reused by their
    /// installing pass (MaxPageMapBatch each; interrupts off, so one call at a time).</summary>
    private static CapabilitySlot** s_slots;
    private static ulong** s_leaves;
    private static ulong* s_entries;      // MapRange's leaf entries, built by the checking pass
    private static ulong* s_noLeaves;     // zeroes: the current entries of a run with no leaf table yet
    private const int FlushAllAbove = 32;

    /// <summary>PageMapRange: count consecutive pages from address, page i to the frame that
    /// handles[i] (the caller's memory, checked readable) names, all with one flags word; all
    /// or none. The same checks and errors as MapOne, with one range check, one pass over the
    /// handles (each read once, the entries built and compared with the current ones there),
    /// one leaf walk per 2 MiB, the upcall cache told once for the range, and the reverse map
    /// touched only when a page's frame changes. Precondition: 0 < count <= MaxPageMapBatch.</summary>
    public static long MapRange(Environment caller, Environment target, ulong address, int count, ulong* handles, ulong flags)
    {
        if ((address & (AddressSpace.PageSize - 1)) != 0 || (flags & ~PageFlags.Allowed) != 0) return (long)Error.BadArgument;
        if (!AddressSpace.IsUserRange(address, (ulong)count * AddressSpace.PageSize)) return (long)Error.BadAddress;
        EnsureBuffers();
        bool writable = (flags & PageFlags.Writable) != 0;
        ulong bits = AddressSpace.Entry(0, flags);
        ulong end = address + (ulong)count * AddressSpace.PageSize;
        AddressSpace space = target.Space;
        CapabilityTable table = caller.Capabilities;
        // The checking pass, one run per leaf table (2 MiB); no table is made yet.
        ulong changed = 0;
        for (ulong page = address; page < end;)
        {
            ulong next = (page | 0x1F_FFFF) + 1;
            if (next > end) next = end;
            int first = (int)((page - address) / AddressSpace.PageSize), run = (int)((next - page) / AddressSpace.PageSize);
            ulong* current = space.ExistingLeaf(page);
            s_leaves[(page >> 21) - (address >> 21)] = current;     // run r's leaf table (at most two runs)
            long got = table.LookupFrames(handles + first, run, writable, bits, target != caller ? s_slots + first : null, s_entries + first,
                                          current != null ? current : s_noLeaves, ref changed);
            if (got != run) return got;
            page = next;
        }
        // Every page already maps its frame (so every table exists): a change of flags only.
        bool sameFrames = (changed & (AddressSpace.AddressMask | AddressSpace.Present)) == 0;
        if (!sameFrames)
            for (ulong page = address; page < end; page = (page | 0x1F_FFFF) + 1)
                if (space.PrepareLeaf(page) == null) return (long)Error.NoMemory;
        if (target != caller)
        {
            if (!target.Capabilities.Reserve(count)) return (long)Error.TableFull;
            // each page may need a reference: refused up front, never halfway
            for (int i = 0; i < count; i++)
                if (!FrameTable.CanRetain(s_slots[i]->Object, count)) return (long)Error.TableFull;
        }
        if (!space.Reserve(count)) return (long)Error.NoMemory;
        // Grant inserts into target's table, never the caller's: the caller's slots stay put.
        // The entries stay as built: a granted slot names the same frame.
        if (target != caller)
            for (int i = 0; i < count; i++) Grant(target, s_slots[i], writable);
        UpcallCache.NoteRangeChange(space, address, end);
        for (ulong page = address; page < end;)
        {
            ulong next = (page | 0x1F_FFFF) + 1;
            if (next > end) next = end;
            int first = (int)((page - address) / AddressSpace.PageSize), run = (int)((next - page) / AddressSpace.PageSize);
            // exists: seen by the checking pass, or made above
            ulong* leaf = sameFrames ? s_leaves[(page >> 21) - (address >> 21)] : space.PrepareLeaf(page);
            if (sameFrames) Cpu.CopyUp(leaf, s_entries + first, (nuint)run * sizeof(ulong));     // a kernel buffer into a page table
            else space.SetRun(leaf, page, s_entries + first, run);
            page = next;
        }
        // Past FlushAllAbove pages one CR3 reload beats an invlpg each (Linux's ceiling is 33).
        if (space.IsActive)
        {
            if (count > FlushAllAbove) space.Activate();
            else for (ulong page = address; page < end; page += AddressSpace.PageSize) Cpu.InvalidatePage(page);
        }
        return count;
    }

    /// <summary>PageShare: maps the caller's own pages of [address, address + pages) into target,
    /// the same frames, never writable: a writable page or one carrying a bit of mark becomes
    /// read-only with mark in target, and a writable one read-only with mark in the caller too
    /// (copy-on-write in both, after the caller's policy). Absent tables are skipped whole. At
    /// most Capability.SharePerCall pages are mapped and 16 times as many pages or absent
    /// tables looked at a call; each call's mappings are made all or none. Returns 0 when the
    /// range is done, else how many pages this call went through (call again from there).</summary>
    public static long Share(Environment caller, Environment target, ulong address, ulong pages, ulong mark)
    {
        if ((address & (AddressSpace.PageSize - 1)) != 0 || (mark & ~PageFlags.Available) != 0) return (long)Error.BadArgument;
        if (target == caller) return (long)Error.BadArgument;
        if (pages > (UserLayout.End >> 12) || !AddressSpace.IsUserRange(address, pages * AddressSpace.PageSize)) return (long)Error.BadAddress;
        EnsureBuffers();
        ulong end = address + pages * AddressSpace.PageSize;
        int n = 0, visits = 16 * (int)Capability.SharePerCall;
        ulong va = caller.Space.NextPresent(address, end, ref visits, out ulong* leaf);
        // The checking pass: each present page's caller capability and leaf entry; nothing changes.
        for (; leaf != null && n < (int)Capability.SharePerCall; va = caller.Space.NextPresent(va + AddressSpace.PageSize, end, ref visits, out leaf))
        {
            ulong frame = (*leaf & AddressSpace.AddressMask) / AddressSpace.PageSize;
            caller.Capabilities.FindFrame(frame, out CapabilitySlot* slot);
            if (slot == null) return (long)Error.BadHandle;
            // each page may need a reference: refused up front, never halfway
            if (!FrameTable.CanRetain(frame, (int)Capability.SharePerCall)) return (long)Error.TableFull;
            s_slots[n] = slot;
            s_leaves[n] = leaf;
            s_entries[n++] = va;
        }
        for (int i = 0; i < n; i++)
            if ((i == 0 || s_entries[i] >> 21 != s_entries[i - 1] >> 21) && target.Space.PrepareLeaf(s_entries[i]) == null) return (long)Error.NoMemory;
        if (!target.Capabilities.Reserve(n)) return (long)Error.TableFull;
        if (!target.Space.Reserve(n)) return (long)Error.NoMemory;
        ulong* table = null;
        for (int i = 0; i < n; i++)
        {
            ulong page = s_entries[i], old = *s_leaves[i];
            ulong shared = old & (AddressSpace.AddressMask | AddressSpace.Present | AddressSpace.User | PageFlags.Available | AddressSpace.NoExecute);
            if ((old & (PageFlags.Writable | mark)) != 0) shared |= mark;
            if (i == 0 || page >> 21 != s_entries[i - 1] >> 21) table = target.Space.PrepareLeaf(page) - ((page >> 12) & 511);   // made above
            Grant(target, s_slots[i], false);
            target.Space.SetLeaf(table + ((page >> 12) & 511), page, shared, false);
            if ((old & PageFlags.Writable) != 0) caller.Space.SetLeaf(s_leaves[i], page, shared, n <= FlushAllAbove);  // same frame: no reverse-map change
        }
        if (n > FlushAllAbove) caller.Space.Activate();     // reloading CR3 drops every user TLB entry
        return va >= end ? 0 : (long)((va - address) / AddressSpace.PageSize);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void EnsureBuffers()
    {
        if (s_slots == null) AllocateBuffers();
    }

    private static void AllocateBuffers()
    {
        s_slots = (CapabilitySlot**)NativeMemory.Alloc((nuint)(Capability.MaxPageMapBatch * (ulong)sizeof(void*)));
        s_leaves = (ulong**)NativeMemory.Alloc((nuint)(Capability.MaxPageMapBatch * (ulong)sizeof(void*)));
        s_entries = (ulong*)NativeMemory.Alloc((nuint)(Capability.MaxPageMapBatch * sizeof(ulong)));
        s_noLeaves = (ulong*)NativeMemory.AllocZeroed((nuint)(Capability.MaxPageMapBatch * sizeof(ulong)));
    }

    /// <summary>PageMapOne: one page at address to the frame frameHandle names, in target;
    /// one walk, no buffers.</summary>
    public static long MapOne(Environment caller, Environment target, ulong address, ulong frameHandle, ulong flags)
    {
        if ((address & (AddressSpace.PageSize - 1)) != 0 || (flags & ~PageFlags.Allowed) != 0) return (long)Error.BadArgument;
        if (!AddressSpace.IsUserPage(address)) return (long)Error.BadAddress;
        CapabilitySlot* slot = caller.Capabilities.Lookup(frameHandle, CapabilityType.Frame);
        if (slot == null) return (long)Error.BadHandle;
        bool writable = (flags & PageFlags.Writable) != 0;
        if (writable && !slot->Writable) return (long)Error.NoRights;
        ulong* leaf = target.Space.PrepareLeaf(address);
        if (leaf == null || !target.Space.Reserve(1)) return (long)Error.NoMemory;
        if (target != caller)
        {
            if (!target.Capabilities.Reserve(1) || !FrameTable.CanRetain(slot->Object, 1)) return (long)Error.TableFull;
            slot = Grant(target, slot, writable);
        }
        target.Space.SetLeaf(leaf, address, AddressSpace.Entry(slot->Object, flags), target.Space.IsActive);
        return 1;
    }

    /// <summary>target's capability for a frame it is being given, reusing one it has; a new one
    /// is derived from the giver's. Precondition: a table slot is free; the frame is held by the giver and CanRetain.</summary>
    private static CapabilitySlot* Grant(Environment target, CapabilitySlot* giver, bool writable)
    {
        ulong frame = giver->Object;
        target.Capabilities.FindFrame(frame, out CapabilitySlot* existing);
        if (existing != null && (existing->Writable || !writable)) return existing;
        if (!FrameTable.Retain(frame)) Panic.Halt("Mappings.Grant without CanRetain");
        ulong handle = target.Capabilities.Insert(CapabilityType.Frame, frame, writable, giver);
        return target.Capabilities.Lookup(handle, CapabilityType.Frame);
    }

    /// <summary>Gives env a read-only capability for a pinned frame and maps it at address.</summary>
    public static bool MapPinnedFrame(Environment env, ulong address, ulong frame)
    {
        if (!env.Capabilities.Reserve(1) || env.Space.PrepareLeaf(address) == null || !env.Space.Reserve(1) || !FrameTable.Retain(frame)) return false;
        env.Capabilities.Insert(CapabilityType.Frame, frame, false);
        return env.Space.Set(address, AddressSpace.Entry(frame, 0));    // cannot fail: prepared and reserved
    }

    /// <summary>Maps a fresh frame at a page of a new environment (the loader's use).</summary>
    public static bool MapNewFrame(Environment env, ulong address, ulong flags, out byte* memory)
    {
        memory = null;
        long handle = AllocateFrame(env, Capability.AnyFrame);
        if (handle < 0) return false;
        CapabilitySlot* slot = env.Capabilities.Lookup((ulong)handle, CapabilityType.Frame);
        if (!env.Space.Set(address, AddressSpace.Entry(slot->Object, flags))) return false;    // the frame stays held: freed with env
        memory = Memory.Pointer(slot->Object * AddressSpace.PageSize);
        return true;
    }

    /// <summary>PageUnmap: 0 when the whole range is done, else how many pages from address
    /// this call went through (at most Capability.UnmapPerCall mappings undone and 16 times
    /// as many pages looked at; the caller continues after them).</summary>
    public static long Unmap(Environment target, ulong address, ulong pages)
    {
        if ((address & (AddressSpace.PageSize - 1)) != 0) return (long)Error.BadArgument;
        if (pages > (UserLayout.End >> 12) || !AddressSpace.IsUserRange(address, pages * AddressSpace.PageSize)) return (long)Error.BadAddress;
        ulong end = address + pages * AddressSpace.PageSize;
        int unmaps = (int)Capability.UnmapPerCall, visits = 16 * (int)Capability.UnmapPerCall;
        ulong reached = target.Space.UnmapRange(address, end, ref unmaps, ref visits);
        return reached >= end ? 0 : (long)((reached - address) / AddressSpace.PageSize);
    }

    public static long Query(Environment env, ulong address, PageInfo* info)
    {
        ulong entry = env.Space.Query(address);
        PageInfo result = default;
        if ((entry & AddressSpace.Present) != 0)
        {
            result.Frame = (entry & AddressSpace.AddressMask) / AddressSpace.PageSize;
            result.Flags = (entry & (AddressSpace.Present | PageFlags.Writable | PageFlags.Available)) |
                           ((entry & AddressSpace.NoExecute) != 0 ? 0 : PageFlags.Executable);
            result.FrameHandle = env.Capabilities.FindFrame(result.Frame, out _);
        }
        *info = result;
        return 0;
    }
}
