// A frame's registers as exception dispatch sees them: where it is (rip, rsp) and the
// callee-saved registers, the only ones that survive a call. Shared with exceptions.asm
// (CTX_* offsets): keep the layout explicit.
using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    [StructLayout(LayoutKind.Explicit)]
    internal struct RegisterContext
    {
        [FieldOffset(0)] public ulong Rip;
        [FieldOffset(8)] public ulong Rsp;
        [FieldOffset(16)] public ulong Rbx;
        [FieldOffset(24)] public ulong Rbp;
        [FieldOffset(32)] public ulong R12;
        [FieldOffset(40)] public ulong R13;
        [FieldOffset(48)] public ulong R14;
        [FieldOffset(56)] public ulong R15;
    }
}
