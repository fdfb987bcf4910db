// What a capability names. A Slot capability names a time slot (Object); the one SliceAlloc
// puts in the slot's environment owns it (Rights OwnsSlot): removing that one gives the slot
// back and revokes its copies. Reply lives only in a table's reply slot (Abi.Capability.ReplySlot):
// the one-shot right to answer the call being served. Retired marks a slot whose generation
// ran out: it is never used again, so no handle can name two capabilities (CapabilityTable).
namespace ExoSharp.Kernel.Core;

internal enum CapabilityType : byte
{
    None = 0,
    Frame = 1,
    Environment = 2,
    Machine = 3,
    Reply = 4,
    Slot = 5,
    /// <summary>The right to receive the console's input (ConsoleAttach); no rights bits.</summary>
    Console = 6,
    /// <summary>An XN root (Object: its block << 32 | catalogue index); Rights Write: may change blocks under it.</summary>
    XnRoot = 7,
    /// <summary>A packet filter (Object: its id, never reused); no rights bits: any holder may remove it.</summary>
    Filter = 8,
    Retired = 255,
}
