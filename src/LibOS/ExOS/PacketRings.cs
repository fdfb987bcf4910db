// What the receive and transmit rings share (Abi.PacketRing): their pages in this environment's
// memory, attached to the kernel, and the slot the owner is at.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public abstract unsafe class PacketRings
    {
        private readonly byte* _base;
        private readonly uint _slots;
        private uint _next;

        protected PacketRings(ulong address, uint slots)
        {
            _base = (byte*)address;
            _slots = slots;
        }

        /// <summary>The slot the owner reads or fills next.</summary>
        protected PacketSlot* Slot => (PacketSlot*)(_base + (ulong)_next * PacketRing.SlotSize);

        protected void Advance() => _next = _next + 1 == _slots ? 0 : _next + 1;

        /// <summary>Maps fresh pages at address (page aligned, unmapped) for slots slots and attaches
        /// them as this environment's ring of that kind; 0 or the first error.</summary>
        protected static long MapAndAttach(ulong kind, ulong address, uint slots)
        {
            ulong pages = ((ulong)slots + PacketRing.SlotsPerPage - 1) / PacketRing.SlotsPerPage;
            for (ulong i = 0; i < pages; i++)
            {
                long r = Memory.AllocatePage(address + i * 4096);
                if (r < 0) return r;
            }
            return SystemCall.RingAttach(kind, address, slots);
        }
    }
}
