// Reading the kernel's read-only windows (Abi.UserLayout): this address space's page-table
// entries through the recursive slot, the environment table and the frame table. No system
// call: plain loads. An entry is checked level by level, so unmapped regions read as 0.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class KernelTables
    {
        private const ulong Present = 1;

        /// <summary>The page-table entry for a user address (0 when not mapped).</summary>
        public static ulong PageEntry(ulong address)
        {
            address &= 0x0000_FFFF_FFFF_F000;
            if ((((ulong*)UserLayout.PageMapLevel4)[address >> 39] & Present) == 0) return 0;
            if ((((ulong*)UserLayout.PageDirectoryPointers)[address >> 30] & Present) == 0) return 0;
            if ((((ulong*)UserLayout.PageDirectories)[address >> 21] & Present) == 0) return 0;
            return ((ulong*)UserLayout.PageTables)[address >> 12];
        }

        /// <summary>The row for an id (all zero when there is no such environment).</summary>
        public static EnvRecord Environment(ulong id)
        {
            ulong index = id & ((1UL << Capability.EnvIndexBits) - 1);
            if (index >= Capability.MaxEnvironments) return default;
            EnvRecord row = ((EnvRecord*)UserLayout.EnvTable)[index];
            return row.Id == id ? row : default;
        }

        public static int FrameReferences(ulong frame) => ((ushort*)UserLayout.FrameTable)[frame];
    }
}
