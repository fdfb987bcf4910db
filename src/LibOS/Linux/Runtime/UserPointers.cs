// Checks a foreign binary's pointer arguments before the library OS touches them: the range
// must lie in the foreign region, outside ExOS's part of it (LinuxLayout.Reserved*), and every
// page be mapped (writable when written), read from the page-table window without a system
// call. A page of an mmap'd area not yet touched is mapped here (MemoryCalls.Populate), as the
// fault would have. A copy-on-write page (after a fork) to be written gets its private copy here, before
// the write, as the fault would have given it. A bad pointer is EFAULT, never a fault in the
// library OS nor a write into its own memory.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static unsafe class UserPointers
    {
        private const ulong Present = 1, Writable = 2, CopyOnWrite = 1UL << 9;   // ExOS's copy-on-write mark (PageFlags)

        public static bool Check(ulong address, ulong length, bool write)
        {
            if (length == 0) return true;
            if (address < LinuxLayout.Low || address >= LinuxLayout.Limit || length > LinuxLayout.Limit - address) return false;
            if (address < LinuxLayout.ReservedEnd && address + length > LinuxLayout.ReservedStart) return false;   // the library OS's own memory
            for (ulong page = address & ~0xFFFUL; page < address + length; page += 4096)
            {
                ulong entry = KernelTables.PageEntry(page);
                if ((entry & Present) == 0)
                {
                    if (!MemoryCalls.Populate(page, write ? 2UL : 1UL)) return false;    // an mmap'd page not yet touched
                    entry = KernelTables.PageEntry(page);
                }
                if (write && (entry & Writable) == 0 && ((entry & CopyOnWrite) == 0 || !Process.MakeWritable(page))) return false;
            }
            return true;
        }

        /// <summary>A zero-terminated string of at most max bytes, or null when unreadable.</summary>
        public static string String(ulong address, int max)
        {
            for (int n = 0; n < max; n++)
            {
                if (!Check(address + (ulong)n, 1, false)) return null;
                if (*(byte*)(address + (ulong)n) == 0) return new string((sbyte*)address, 0, n);
            }
            return null;
        }
    }
}
