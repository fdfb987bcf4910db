// Checks a user pointer before the kernel touches it: inside user space, no wrap-around,
// and every page mapped, user-accessible and (for writes) writable in the given space.
// The kernel never dereferences a user pointer this has not approved.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static class UserMemory
    {
        public static bool CanAccess(AddressSpace space, ulong address, ulong length, bool write)
        {
            if (length == 0) return true;
            if (!AddressSpace.IsUserRange(address, length)) return false;
            ulong need = AddressSpace.Present | AddressSpace.User | (write ? AddressSpace.Writable : 0);
            for (ulong page = address & ~4095UL; page < address + length; page += AddressSpace.PageSize)
                if ((space.Query(page) & need) != need) return false;
            return true;
        }
    }
}
