// The raw instructions of hostile.asm, for programs that attack the kernel on purpose.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.Apps.Hostile
{
    internal static class Machine
    {
        [RuntimeImport("hostile_cli")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Cli();
        [RuntimeImport("hostile_hlt")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Hlt();
        [RuntimeImport("hostile_out")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Out();
        [RuntimeImport("hostile_mov_cr3")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void MovCr3();
        [RuntimeImport("hostile_wrmsr")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void WrMsr();
        [RuntimeImport("hostile_divide_by_zero")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern long DivideByZero(long dividend, long divisor);
        [RuntimeImport("hostile_read")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern byte Read(ulong address);
        [RuntimeImport("hostile_write")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Write(ulong address, byte value);
        [RuntimeImport("hostile_set_nt")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong SetNestedTask();
        [RuntimeImport("hostile_flags")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong Flags();
        [RuntimeImport("hostile_call")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern void Call(ulong address);
    }
}
