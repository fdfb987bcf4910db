// One entry of a capability table. Object is a frame number or an environment id; for a
// frame, Writable says whether it may be mapped writable. Which pages map a frame is the
// address space's reverse map's business (Core/ReverseMap.cs), not a count here.
// The layout is fixed: X64/stubs.asm's PageMapOne fast path reads it (SLOT_* there).
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core
{
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    internal struct CapabilitySlot
    {
        [FieldOffset(0)] public CapabilityType Type;
        [FieldOffset(1)] public bool Writable;
        [FieldOffset(2)] public ushort Generation;
        [FieldOffset(4)] public uint Reserved;
        [FieldOffset(8)] public ulong Object;
    }
}
