// The register frame isr_common (stubs.asm) pushes before calling ExoSharpTrap: general
// registers (r15 lowest), vector, error code, then what the CPU pushed (rip, cs, rflags, rsp, ss).
// Core.Panic prints one.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.X64;

[StructLayout(LayoutKind.Explicit)]
internal unsafe struct TrapFrame
{
    [FieldOffset(0)] public ulong R15;
    [FieldOffset(8)] public ulong R14;
    [FieldOffset(16)] public ulong R13;
    [FieldOffset(24)] public ulong R12;
    [FieldOffset(32)] public ulong R11;
    [FieldOffset(40)] public ulong R10;
    [FieldOffset(48)] public ulong R9;
    [FieldOffset(56)] public ulong R8;
    [FieldOffset(64)] public ulong Rbp;
    [FieldOffset(72)] public ulong Rdi;
    [FieldOffset(80)] public ulong Rsi;
    [FieldOffset(88)] public ulong Rdx;
    [FieldOffset(96)] public ulong Rcx;
    [FieldOffset(104)] public ulong Rbx;
    [FieldOffset(112)] public ulong Rax;
    [FieldOffset(120)] public ulong Vector;
    [FieldOffset(128)] public ulong ErrorCode;
    [FieldOffset(136)] public ulong Rip;
    [FieldOffset(144)] public ulong Cs;
    [FieldOffset(152)] public ulong Rflags;
    [FieldOffset(160)] public ulong Rsp;
    [FieldOffset(168)] public ulong Ss;

    public bool FromUser => (Cs & 3) == 3;
}
