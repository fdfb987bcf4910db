// What the receive and transmit rings share: fresh writable pages for a ring's slots.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    internal static class PacketRings
    {
        /// <summary>Maps the pages slots slots need at address; 0 or the first error.</summary>
        public static long MapPages(ulong address, uint slots)
        {
            ulong pages = ((ulong)slots + PacketRing.SlotsPerPage - 1) / PacketRing.SlotsPerPage;
            for (ulong i = 0; i < pages; i++)
            {
                long r = Memory.AllocatePage(address + i * 4096);
                if (r < 0) return r;
            }
            return 0;
        }
    }
}
