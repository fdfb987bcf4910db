// Where and how exo_enter_user (stubs.asm) starts ring-3 code: field order is its contract.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.X64
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct UserEntry
    {
        public ulong Rip;
        public ulong Rsp;
        public ulong Arg0;
        public ulong Arg1;
        public ulong Rflags;
    }
}
