// Addresses the linker and Boot/boot.asm know and C# cannot name: exo_boot_symbols in
// boot.asm, field for field in the same order.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

[StructLayout(LayoutKind.Sequential)]
internal struct BootSymbols
{
    public ulong KernelEntry;
    public ulong KernelEnd;
    public ulong ModulesStart;
    public ulong ModulesEnd;
    public ulong GdtTssSlot;
    public ulong DoubleFaultStackTop;
    public ulong TrapStackTop;
    public ulong IsrTable;
    public ulong SyscallEntry;
    public ulong KernelPml4;
    public ulong EarlyHeap;
    public ulong EarlyHeapSize;
    public ulong CurrentIdCell;
    public ulong UpcallCacheCell;
    public ulong ContextEndCell;
    public ulong CurrentIndexCell;
    public ulong EnvFastTable;
    public ulong EnvRecordsCell;
    public ulong AsmContract;
    public ulong RodataStart;
    public ulong DataStart;
    public ulong BootStack;
    public ulong BootStackTop;
    public ulong TrapStack;
    public ulong ForeignLimitCell;
    public ulong FsOwnerCell;
    public ulong KernelStatsCell;
}
