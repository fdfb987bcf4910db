// The register set of EnvSetRegisters, and the saved registers inside an ExceptionFrame.
// rflags is sanitised by the kernel: only the arithmetic flags, DF and AC are taken; IF is on.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct Registers
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8;
        public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Rip, Rflags, Rsp;
    }
}
