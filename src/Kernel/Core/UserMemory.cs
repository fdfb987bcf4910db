// Checks a user pointer before the kernel touches it: inside user space, no wrap-around,
// and every page mapped, user-accessible and (for writes) writable in the given space.
// The kernel never dereferences a user pointer this has not approved.
using ExoSharp.Kernel.X64;
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.Core;

internal static unsafe class UserMemory
{
    /// <summary>Copies into env's memory, through its own address space, after checking it.</summary>
    public static bool CopyTo(Environment env, ulong address, void* source, ulong length)
    {
        ulong saved = Cpu.ReadCr3();
        if (saved != env.Space.Root) env.Space.Activate();
        bool ok = CanAccess(env.Space, address, length, true);
        if (ok) System.Buffer.MemoryCopy(source, (void*)address, (long)length, (long)length);
        if (saved != env.Space.Root) Cpu.WriteCr3(saved);
        return ok;
    }

    /// <summary>Copies from the current environment's memory (its space is active).</summary>
    public static bool CopyFrom(Environment env, ulong address, void* destination, ulong length)
    {
        if (!CanAccess(env.Space, address, length, false)) return false;
        System.Buffer.MemoryCopy((void*)address, destination, (long)length, (long)length);
        return true;
    }

    public static bool CanAccess(AddressSpace space, ulong address, ulong length, bool write)
    {
        if (length == 0) return true;
        if (!AddressSpace.IsUserRange(address, length)) return false;
        ulong need = AddressSpace.Present | AddressSpace.User | (write ? AddressSpace.Writable : 0);
        ulong* leaf = null;
        for (ulong page = address & ~4095UL; page < address + length; page += AddressSpace.PageSize)
        {
            // the next entry of the same leaf table, walked to once per 2 MiB
            leaf = leaf != null && (page & 0x1F_FFFF) != 0 ? leaf + 1 : space.ExistingLeaf(page);
            if (leaf == null || (*leaf & need) != need) return false;
        }
        return true;
    }
}
