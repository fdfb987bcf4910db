// One entry of a capability table. Object is a frame number or an environment id; for a
// frame, Writable says whether it may be mapped writable and MapCount how many page-table
// entries of the table's environment use it. Generation counts the slot's reuses (a handle
// carries it); Badge is what the minter wrote into the capability (docs/abi.md).
// The layout is fixed: X64/stubs.asm's fast paths read it (SLOT_* there).
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core
{
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    internal struct CapabilitySlot
    {
        [FieldOffset(0)] public CapabilityType Type;
        [FieldOffset(1)] public bool Writable;
        /// <summary>Abi.CapabilityRights the holder has (environment capabilities).</summary>
        [FieldOffset(2)] public byte Rights;
        [FieldOffset(4)] public uint MapCount;
        [FieldOffset(8)] public ulong Object;
        [FieldOffset(16)] public ulong Generation;
        [FieldOffset(24)] public ulong Badge;
    }
}
