// Privileged instructions, implemented one per function in cpu.asm. Direct calls (no
// P/Invoke transition); each takes and returns only primitives.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.Kernel.X64;

internal static unsafe class Cpu
{
    /// <summary>Copies length bytes upward (rep movsq, then the rest: Corelib's exo_copy_up);
    /// the areas must not overlap with destination above source.</summary>
    [RuntimeImport("exo_copy_up")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void CopyUp(void* destination, void* source, nuint length);
    [RuntimeImport("cpu_outb")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void OutByte(ushort port, byte value);
    [RuntimeImport("cpu_inb")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte InByte(ushort port);
    [RuntimeImport("cpu_outw")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void OutWord(ushort port, ushort value);
    [RuntimeImport("cpu_inw")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ushort InWord(ushort port);
    [RuntimeImport("cpu_outd")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void OutDword(ushort port, uint value);
    [RuntimeImport("cpu_ind")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern uint InDword(ushort port);
    [RuntimeImport("cpu_rdmsr")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadMsr(uint msr);
    [RuntimeImport("cpu_wrmsr")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WriteMsr(uint msr, ulong value);
    [RuntimeImport("cpu_read_cr2")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadCr2();
    [RuntimeImport("cpu_read_cr3")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadCr3();
    [RuntimeImport("cpu_write_cr3")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WriteCr3(ulong value);
    [RuntimeImport("cpu_invlpg")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void InvalidatePage(ulong address);
    [RuntimeImport("cpu_lidt")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void LoadIdt(void* descriptor);
    [RuntimeImport("cpu_ltr")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void LoadTaskRegister(ushort selector);
    [RuntimeImport("cpu_hlt")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Halt();
    [RuntimeImport("cpu_cli")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void DisableInterrupts();
    [RuntimeImport("cpu_sti")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void EnableInterrupts();
    [RuntimeImport("cpu_rdtsc")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong ReadTsc();
    [RuntimeImport("cpu_xstate")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void ExtendedStateInfo(ulong* info);
    /// <summary>The FS and GS bases into bases[0..1] / from them (no-ops without CR4.FSGSBASE).</summary>
    [RuntimeImport("cpu_fsgs_save")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void SaveSegmentBases(ulong* bases);
    [RuntimeImport("cpu_fsgs_load")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void LoadSegmentBases(ulong* bases);
    [RuntimeImport("cpu_halt_forever")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void HaltForever();
}
