// One entry of a capability table. Object is a frame number, or an environment id (an
// environment or reply capability); for a frame, Writable says whether it may be mapped
// writable (which pages map a frame is the address space's reverse map's business,
// Core/ReverseMap.cs; MapCount is not used for that and stays 0).
// A frame capability's Badge place holds its links to the table's other capabilities for the
// same frame. Generation counts the slot's reuses (a handle carries it); Rights and Badge are what the
// minter gave it. FirstChild, LastChild and the siblings are the derivation tree (Authority.cs):
// every capability made from another (minted, passed over IPC, granted by a mapping) is its
// child, in whatever table it lives, so the minter can revoke it. A child list is doubly
// linked; its first child's PreviousSibling and its last child's NextSibling are the parent,
// tagged (CapabilityTable.Tag), so taking a slot out and moving its children up is O(1).
// The layout is fixed: X64/stubs.asm's fast paths read it (SLOT_* there).
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct CapabilitySlot
{
    [FieldOffset(0)] public CapabilityType Type;
    [FieldOffset(1)] public bool Writable;
    /// <summary>Abi.CapabilityRights the holder has (environment capabilities).</summary>
    [FieldOffset(2)] public byte Rights;
    [FieldOffset(4)] public uint MapCount;
    [FieldOffset(8)] public ulong Object;
    [FieldOffset(16)] public ulong Generation;
    [FieldOffset(24)] public ulong Badge;
    /// <summary>Frame capabilities (whose Badge is always 0) reuse its place: the table's other
    /// capabilities for the same frame, a circular list of slot indices, writable ones first
    /// (CapabilityTable's frame index names the first).</summary>
    [FieldOffset(24)] public int SameFrameNext;
    [FieldOffset(28)] public int SameFramePrev;
    [FieldOffset(32)] public CapabilitySlot* LastChild;
    [FieldOffset(40)] public CapabilitySlot* FirstChild;
    [FieldOffset(48)] public CapabilitySlot* NextSibling;
    [FieldOffset(56)] public CapabilitySlot* PreviousSibling;
}
