// The task-state segment: the stack the CPU switches to on a trap from ring 3 (RSP0) and a
// separate stack for double faults (IST1). The GDT itself is static, in Boot/boot.asm.
// No I/O permission bitmap: every port access from ring 3 faults.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.X64;

internal static unsafe class Gdt
{
    public const ushort KernelCode = 0x08;
    public const ushort TssSelector = 0x30;
    private const int TssSize = 104;

    /// <summary>Precondition: interrupts off; gdtTssSlot is the 16-byte TSS slot of the boot GDT.</summary>
    public static void LoadTss(ulong gdtTssSlot, ulong trapStackTop, ulong doubleFaultStackTop)
    {
        byte* tss = (byte*)NativeMemory.AllocZeroed(TssSize);
        *(ulong*)(tss + 4) = trapStackTop;          // RSP0
        *(ulong*)(tss + 36) = doubleFaultStackTop;  // IST1
        *(ushort*)(tss + 102) = TssSize;             // I/O map base beyond the limit: no bitmap
        ulong b = (ulong)tss;
        ulong* slot = (ulong*)gdtTssSlot;
        slot[0] = (TssSize - 1) | ((b & 0xFFFFFF) << 16) | (0x89UL << 40) | (((b >> 24) & 0xFF) << 56);
        slot[1] = b >> 32;
        Cpu.LoadTaskRegister(TssSelector);
    }
}
