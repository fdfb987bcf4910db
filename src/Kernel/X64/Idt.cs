// The interrupt descriptor table: vectors 0-47 point at the isr_N stubs of stubs.asm
// (exceptions 0-31, PIC interrupts 32-47); every gate is a ring-0 interrupt gate, so
// `int N` from user mode is a #GP. Double faults run on IST1.
using System.Runtime.InteropServices;
using ExoSharp.Abi;

namespace ExoSharp.Kernel.X64;

internal static unsafe class Idt
{
    public const int StubCount = 48;

    /// <summary>Precondition: interrupts off. isrTable: StubCount stub addresses.</summary>
    public static void Load(ulong isrTable)
    {
        ulong* idt = (ulong*)NativeMemory.AllocZeroed(256 * 16);
        ulong* stubs = (ulong*)isrTable;
        for (int v = 0; v < StubCount; v++)
        {
            ulong handler = stubs[v];
            ulong ist = v == ExceptionNames.DoubleFault ? 1UL : 0UL;
            idt[v * 2] = (handler & 0xFFFF) | ((ulong)Gdt.KernelCode << 16) | (ist << 32) | (0x8EUL << 40) | (((handler >> 16) & 0xFFFF) << 48);
            idt[v * 2 + 1] = handler >> 32;
        }
        byte* descriptor = stackalloc byte[10];
        *(ushort*)descriptor = 256 * 16 - 1;
        *(ulong*)(descriptor + 2) = (ulong)idt;
        Cpu.LoadIdt(descriptor);
    }
}
