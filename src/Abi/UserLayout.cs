// The user half of every address space: PML4 slots 0-255 (the kernel has 256-511, supervisor
// only), less the first 64 KiB (null references must fault) and the last page. Where the
// kernel puts a boot module's stack and arguments.
namespace ExoSharp.Abi
{
    public static class UserLayout
    {
        /// <summary>Lowest user address. Programs are linked at 0x400000 (src/LibOS/ExOS/user.ld).</summary>
        public const ulong Base = 0x10000;

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
