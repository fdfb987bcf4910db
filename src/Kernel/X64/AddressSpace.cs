// One x86-64 address space: a PML4 whose slot 0 is the kernel's identity map (supervisor
// only) and whose slots 1-255 map user pages (UserLayout). Page-table frames and user frames
// come from Memory.Frames; Destroy returns them all. Frames are identity-mapped, so a
// physical address is also the kernel's pointer to it.
// Missing: shared frames (every user frame belongs to this space alone), huge user pages.
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.X64
{
    internal sealed unsafe class AddressSpace
    {
        public const ulong Present = 1, Writable = 2, User = 4, Large = 0x80;
        public const ulong NoExecute = 1UL << 63;
        public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
        public const ulong PageSize = 4096;

        private readonly ulong* _pml4;

        public ulong Root => (ulong)_pml4;

        private AddressSpace(ulong* pml4) { _pml4 = pml4; }

        /// <summary>A new space sharing the kernel's slot 0, or null when out of frames.</summary>
        public static AddressSpace Create()
        {
            ulong* pml4 = Memory.AllocateZeroedFrame();
            if (pml4 == null) return null;
            pml4[0] = ((ulong*)Memory.KernelRoot)[0];
            return new AddressSpace(pml4);
        }

        public void Activate() => Cpu.WriteCr3(Root);

        public static bool IsUserRange(ulong address, ulong length) =>
            address >= UserLayout.Base && address < UserLayout.End && length <= UserLayout.End - address;

        /// <summary>Maps one user page to a frame. False when out of frames, the address is not a
        /// page-aligned user address, or the page is already mapped.</summary>
        public bool Map(ulong virtualAddress, ulong physicalAddress, ulong flags)
        {
            if ((virtualAddress & (PageSize - 1)) != 0 || !IsUserRange(virtualAddress, PageSize)) return false;
            ulong* entry = Walk(virtualAddress, true);
            if (entry == null || (*entry & Present) != 0) return false;
            *entry = (physicalAddress & AddressMask) | flags | Present | User;
            return true;
        }

        /// <summary>The leaf entry for a user address, or 0 when nothing is mapped there.</summary>
        public ulong Query(ulong virtualAddress)
        {
            if (!IsUserRange(virtualAddress, 1)) return 0;
            ulong* entry = Walk(virtualAddress, false);
            return entry == null ? 0 : *entry;
        }

        /// <summary>Adds permissions to a mapped page (used when two segments share it).</summary>
        public void Widen(ulong virtualAddress, ulong addFlags, bool execute)
        {
            ulong* entry = Walk(virtualAddress, false);
            if (entry == null) return;
            *entry |= addFlags;
            if (execute) *entry &= ~NoExecute;
        }

        private ulong* Walk(ulong virtualAddress, bool create)
        {
            ulong* table = _pml4;
            for (int level = 3; level > 0; level--)
            {
                ulong* entry = table + ((virtualAddress >> (12 + 9 * level)) & 511);
                if ((*entry & Present) == 0)
                {
                    if (!create) return null;
                    ulong* next = Memory.AllocateZeroedFrame();
                    if (next == null) return null;
                    *entry = (ulong)next | Present | Writable | User;
                }
                table = (ulong*)(*entry & AddressMask);
            }
            return table + ((virtualAddress >> 12) & 511);
        }

        /// <summary>Frees every user frame and page-table frame. Precondition: not active.</summary>
        public void Destroy()
        {
            for (int i = 1; i < 256; i++)
            {
                if ((_pml4[i] & Present) == 0) continue;
                FreeTable((ulong*)(_pml4[i] & AddressMask), 2);
                _pml4[i] = 0;
            }
            Memory.FreeFrame((ulong)_pml4);
        }

        private static void FreeTable(ulong* table, int level)
        {
            for (int i = 0; i < 512; i++)
            {
                if ((table[i] & Present) == 0) continue;
                if (level > 0) FreeTable((ulong*)(table[i] & AddressMask), level - 1);
                else Memory.FreeFrame(table[i] & AddressMask);
            }
            Memory.FreeFrame((ulong)table);
        }
    }
}
