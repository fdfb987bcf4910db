// The kernel's read-only windows into every address space (UserLayout.WindowsStart): one
// page-table tree for PML4 slot 253, shared by all spaces, mapping the environment table
// and the frame table user-readable and never writable; and, per space, slot 254 pointing
// back at the space's own PML4, so an environment reads its page tables without a call.
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class KernelWindows
{
    public const int SharedSlot = 253;
    public const int RecursiveSlot = 254;
    private const ulong ReadOnly = AddressSpace.Present | AddressSpace.User | AddressSpace.NoExecute;

    private static ulong s_sharedPdpt;

    /// <summary>The slot-253 entry every address space gets.</summary>
    public static ulong SharedEntry => s_sharedPdpt | ReadOnly;

    /// <summary>Zeroed, page-aligned kernel memory shown read-only at window address:
    /// returns its kernel pointer. Precondition: boot time (frames work, interrupts off).</summary>
    public static byte* Allocate(ulong windowAddress, ulong bytes)
    {
        ulong pages = (bytes + 4095) / 4096;
        long first = Memory.Frames.AllocateContiguous(pages);
        if (first < 0) Panic.Halt("no memory for the kernel's tables");
        byte* memory = Memory.Pointer((ulong)first * 4096);
        NativeMemory.Clear(memory, (nuint)(pages * 4096));
        if (s_sharedPdpt == 0) s_sharedPdpt = Memory.PhysicalOf(Memory.AllocateZeroedFrame());
        for (ulong i = 0; i < pages; i++)
        {
            ulong va = windowAddress + i * 4096;
            ulong* table = (ulong*)Memory.Pointer(s_sharedPdpt);
            for (int level = 2; level > 0; level--)
            {
                ulong* entry = table + ((va >> (12 + 9 * level)) & 511);
                if ((*entry & AddressSpace.Present) == 0)
                    *entry = Memory.PhysicalOf(Memory.AllocateZeroedFrame()) | AddressSpace.Present | AddressSpace.User;
                table = (ulong*)Memory.Pointer(*entry & AddressSpace.AddressMask);
            }
            table[(va >> 12) & 511] = ((ulong)first + i) * 4096 | ReadOnly;
        }
        return memory;
    }
}
