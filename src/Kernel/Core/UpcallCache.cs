// The upcall fast path's permission (exo_upcall_cache in X64/stubs.asm): for one environment
// at a time, "its exception handler page is mapped executable and the page(s) where a
// non-nested ExceptionFrame goes are mapped writable", learnt from a general delivery that
// checked exactly that. While it holds, stubs.asm delivers that environment's CPU exceptions
// without entering C#. Invariant: any change to those pages' leaf entries in that space
// (AddressSpace calls NoteChange/NoteRangeChange/NoteSpaceChange; stubs.asm's PageMapOne
// fast path compares the watched pages itself and clears the id cell), to its handler
// (SetExceptionHandler) or its end clears it first. Interrupts off throughout.
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class UpcallCache
{
    private const ulong None = ~0UL;
    private const ulong StackSpan = ExceptionUpcall.StackSpan;

    /// <summary>stubs.asm's cells: env id, handler, frame address, stack top - span + 1, and
    /// the three watched pages (handler, first and last page of the frame).</summary>
    private static ulong* s_cell;
    private static AddressSpace s_space;
    private static ulong s_entryPage, s_frameFirstPage, s_frameLastPage;

    public static void Initialize(ulong cell)
    {
        s_cell = (ulong*)cell;
        Invalidate();
    }

    public static void Invalidate()
    {
        if (s_cell == null) return;
        s_cell[0] = None;
        s_space = null;
    }

    /// <summary>After a general delivery to env's exception handler with the frame at
    /// 'at' below its stack top (not nested): both were checked, so the fast path may
    /// repeat it. Precondition: Deliver succeeded with exactly these values.</summary>
    public static void Remember(Environment env, ulong entry, ulong at, ulong top)
    {
        if (s_cell == null) return;
        s_space = env.Space;
        s_entryPage = entry & ~(AddressSpace.PageSize - 1);
        s_frameFirstPage = at & ~(AddressSpace.PageSize - 1);
        s_frameLastPage = (at + (ulong)sizeof(ExceptionFrame) - 1) & ~(AddressSpace.PageSize - 1);
        s_cell[1] = entry;
        s_cell[2] = at;
        s_cell[3] = top - StackSpan + 1;
        s_cell[4] = s_entryPage;             // the pages stubs.asm's PageMapOne must watch
        s_cell[5] = s_frameFirstPage;
        s_cell[6] = s_frameLastPage;
        s_cell[0] = env.Id;
    }

    /// <summary>The leaf entry of one page of space is about to change.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoteChange(AddressSpace space, ulong virtualAddress)
    {
        if (space != s_space) return;
        ulong page = virtualAddress & ~(AddressSpace.PageSize - 1);
        if (page == s_entryPage || page == s_frameFirstPage || page == s_frameLastPage) Invalidate();
    }

    /// <summary>Leaf entries of [start, end) in space are about to change.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoteRangeChange(AddressSpace space, ulong start, ulong end)
    {
        if (space != s_space) return;
        // a watched page overlaps [start, end) when page - from < span (unsigned: one comparison)
        ulong from = start - (AddressSpace.PageSize - 1), span = end - from;
        if (s_entryPage - from < span || s_frameFirstPage - from < span || s_frameLastPage - from < span) Invalidate();
    }

    /// <summary>Any leaf entries of space may change (frame unmapped everywhere, space destroyed).</summary>
    public static void NoteSpaceChange(AddressSpace space)
    {
        if (space == s_space) Invalidate();
    }
}
