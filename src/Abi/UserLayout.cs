// The user half of every address space, as the kernel lays it out for a boot module.
// User space is PML4 slots 1..255 less the last page; slot 0 holds the kernel's identity map
// (supervisor only).
namespace ExoSharp.Abi
{
    public static class UserLayout
    {
        /// <summary>Lowest user address; user programs are linked here (src/LibOS/ExOS/user.ld).</summary>
        public const ulong Base = 0x0000_0080_0000_0000;

        /// <summary>One past the highest user address: the canonical boundary less one page, so
        /// that no syscall instruction can sit at its very end (SYSRET to a non-canonical
        /// return address faults in ring 0 on Intel CPUs).</summary>
        public const ulong End = 0x0000_7FFF_FFFF_F000;

        /// <summary>Top of the initial stack; the stack grows down from here.</summary>
        public const ulong StackTop = End;

        /// <summary>Size of the initial stack. The page below it is never mapped (overflow guard).</summary>
        public const ulong StackSize = 256 * 1024;

        /// <summary>Longest argument string the kernel copies for a program.</summary>
        public const int MaxArguments = 256;

        /// <summary>Most bytes one ConsoleWrite accepts.</summary>
        public const long MaxConsoleWrite = 4096;
    }
}
