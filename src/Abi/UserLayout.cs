// The user half of every address space: PML4 slots 0-255 (the kernel has 256-511, supervisor
// only), less the first 64 KiB (null references must fault) and the last page. Where the
// kernel puts a boot module's stack and arguments.
namespace ExoSharp.Abi
{
    public static class UserLayout
    {
        /// <summary>Lowest user address. ExOS's programs are linked at 0x700000000000 (src/LibOS/ExOS/user.ld), leaving low addresses to foreign binaries.</summary>
        public const ulong Base = 0x10000;

        /// <summary>One past the highest user address: the canonical boundary less one page, so
        /// that no syscall instruction can sit at its very end (SYSRET to a non-canonical
        /// return address faults in ring 0 on Intel CPUs).</summary>
        public const ulong End = 0x0000_7FFF_FFFF_F000;

        /// <summary>PML4 slots 252-254: the kernel's read-only windows, never user mappings.
        /// Slot 252: this environment's repossession vector; slot 253: the tables below;
        /// slot 254: this address space's own page tables (a recursive entry), so PTE(va) is
        /// at PageTables + (va >> 12) * 8.</summary>
        public const ulong WindowsStart = 0x0000_7E00_0000_0000;

        /// <summary>The first environment's view of the boot modules: a BootDirectory page, then
        /// each module mapped read-only (BootDirectory.Entries give where).</summary>
        public const ulong BootModules = 0x0000_7D00_0000_0000;

        /// <summary>This environment's RepossessionVector (one page).</summary>
        public const ulong RepossessionVector = WindowsStart;
        public const ulong WindowsEnd = 0x0000_7F80_0000_0000;
        public const ulong PageTables = 0x0000_7F00_0000_0000;
        public const ulong PageDirectories = 0x0000_7F3F_8000_0000;
        public const ulong PageDirectoryPointers = 0x0000_7F3F_9FC0_0000;
        public const ulong PageMapLevel4 = 0x0000_7F3F_9FCF_E000;

        /// <summary>The environment table: Capability.MaxEnvironments EnvRecords.</summary>
        public const ulong EnvTable = 0x0000_7E80_0000_0000;

        /// <summary>The frame table: one ushort per physical frame, the number of capabilities
        /// (in all environments) that name it; 0 for free frames and the kernel's own.</summary>
        public const ulong FrameTable = EnvTable + 0x20_0000;

        /// <summary>The clock page: one ClockRecord (wall time at boot, ticks since).</summary>
        public const ulong Clock = EnvTable + 0x0FFF_F000;

        /// <summary>The buffer-cache registry: one BlockRecord per disk block (XnInfo.Blocks of
        /// them); not mapped when the machine has no XN disk.</summary>
        public const ulong BlockRegistry = EnvTable + 0x1000_0000;

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
