// The part of an environment that X64/stubs.asm's IPC fast paths read and write, in one
// native row per table index (exo_env_fast; EF_* in stubs.asm, field for field): its id
// (0 while the index is unused), the end of its saved context, its CR3, its IPC state, and
// its capability directory, capacity and PML4 (for PageMapOne), and what a directed Yield to it
// must know (Hold, and its own InEpilogue).
// Environment's IpcWaitMessage, IpcCallee and IpcReplyMessage are these fields, so C# and the
// assembly share one copy. Interrupts off whenever either touches it.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

[StructLayout(LayoutKind.Explicit, Size = 128)]
internal unsafe struct EnvFast
{
    [FieldOffset(0)] public ulong Id;
    [FieldOffset(8)] public ulong ContextEnd;
    [FieldOffset(16)] public ulong Root;
    /// <summary>Environment.IpcWaitMessage: 0, a checked buffer, or Ipc.InRegisters.</summary>
    [FieldOffset(24)] public ulong WaitPlace;
    /// <summary>Environment.IpcCallee.</summary>
    [FieldOffset(32)] public ulong Callee;
    /// <summary>Environment.IpcReplyMessage: 0, a checked buffer, or Ipc.InRegisters.</summary>
    [FieldOffset(40)] public ulong ReplyPlace;
    /// <summary>Its capability table's chunk directory (CapabilityTable keeps it current) and its
    /// PML4 (direct map), for PageMapOne's fast path.</summary>
    [FieldOffset(48)] public CapabilitySlot** Slots;
    [FieldOffset(56)] public ulong* Pml4;
    /// <summary>How many slots the table has now (handles at or past it name nothing).</summary>
    [FieldOffset(64)] public ulong Capacity;
    /// <summary>Environment.ForeignLimit: syscall_entry sends syscalls from at or below it
    /// (return address) to the exception handler (0: none).</summary>
    [FieldOffset(72)] public ulong ForeignLimit;
    /// <summary>Its FS and GS bases while it does not own the CPU's (Scheduler.Resume, ipc_switch).</summary>
    [FieldOffset(80)] public ulong FsBase;
    [FieldOffset(88)] public ulong GsBase;
    /// <summary>Environment.UpdateHold's sum of why a directed Yield to it needs C# (0: none).</summary>
    [FieldOffset(96)] public ulong Hold;
    /// <summary>Environment.InEpilogue (1: in its epilogue's grace period).</summary>
    [FieldOffset(104)] public ulong InEpilogue;

    public const ulong HoldNotRunnable = 1, HoldBlocked = 2, HoldRepossessing = 4, HoldPrologue = 8, HoldRevocation = 16;

    private static EnvFast* s_rows;

    /// <summary>Boot time: stubs.asm's table (Capability.MaxEnvironments rows).</summary>
    public static void Initialize(ulong table) => s_rows = (EnvFast*)table;

    public static EnvFast* At(int index) => s_rows + index;
}
