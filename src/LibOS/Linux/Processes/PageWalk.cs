// Finds the mapped pages of a range of this address space through the kernel's page-table
// windows (docs/abi.md: PageMapLevel4 .. PageTables), level by level, so empty terabytes cost a
// load per 512 GiB, 1 GiB or 2 MiB: how fork and execve visit every page the foreign process has
// without knowing where it put them.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class PageWalk
    {
        private const ulong Present = 1;

        /// <summary>The first mapped page at or after from (page aligned), or end when none before it.</summary>
        public static ulong NextMapped(ulong from, ulong end)
        {
            ulong va = from & ~0xFFFUL;
            while (va < end)
            {
                if ((((ulong*)UserLayout.PageMapLevel4)[va >> 39] & Present) == 0) { va = (va | ((1UL << 39) - 1)) + 1; continue; }
                if ((((ulong*)UserLayout.PageDirectoryPointers)[va >> 30] & Present) == 0) { va = (va | ((1UL << 30) - 1)) + 1; continue; }
                if ((((ulong*)UserLayout.PageDirectories)[va >> 21] & Present) == 0) { va = (va | ((1UL << 21) - 1)) + 1; continue; }
                if ((((ulong*)UserLayout.PageTables)[va >> 12] & Present) != 0) return va;
                va += 4096;
            }
            return end;
        }

        /// <summary>The first unmapped page at or after from (page aligned), or end.</summary>
        public static ulong NextUnmapped(ulong from, ulong end)
        {
            ulong va = from & ~0xFFFUL;
            while (va < end && ExOS.KernelTables.PageEntry(va) != 0 && (ExOS.KernelTables.PageEntry(va) & Present) != 0) va += 4096;
            return va < end ? va : end;
        }
    }
}
