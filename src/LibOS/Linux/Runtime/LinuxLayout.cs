// Where the Linux library OS puts a foreign process (policy of this library OS): the binary
// where it was linked (static-pie at PieBase), the break after it, anonymous mappings from
// MapBase up, the stack below StackTop. All of it below Limit, the foreign limit given to the
// kernel (ForeignSyscalls): ExOS's own code is linked at 0x700000000000, above it.
namespace ExoSharp.LibOS.Linux.Runtime
{
    public static class LinuxLayout
    {
        public const ulong Low = 0x10000;
        public const ulong Limit = 0x6FFF_FFFF_F000;
        public const ulong PieBase = 0x5555_5555_0000;
        public const ulong MapBase = 0x2000_0000_0000, MapLimit = 0x3000_0000_0000;
        public const ulong StackTop = 0x3FFF_FFFF_0000;
        public const ulong StackSize = 256 * 1024;
        /// <summary>ExOS's own part of the low space (its heap, thread stacks, the process and file
        /// tables, the scratch page, the exception stack): never the foreign program's memory,
        /// never a pointer a system call may write through (ExOS.Layout: HeapBase to ExceptionStackTop).</summary>
        public const ulong ReservedStart = 0x1000_0000, ReservedEnd = 0x7000_0000;

        /// <summary>How far the break may grow past the binary (ExOS's heap starts at 0x10000000).</summary>
        public const ulong BreakLimit = 0x0F00_0000;
    }
}
