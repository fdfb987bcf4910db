// Byte-level access to frames in network order, and the small copies the stack needs. Every
// caller has checked its bounds first; nothing here checks them again.
// The accessors are inlined: as calls they cost more than their bodies, dozens of times a segment.
// Missing: vectorised copies (the corelib's Memmove is used where it exists).
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Net
{
    public static unsafe class Wire
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ushort Get16(byte* at) => (ushort)(at[0] << 8 | at[1]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Get32(byte* at) => (uint)(at[0] << 24 | at[1] << 16 | at[2] << 8 | at[3]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put16(byte* at, uint value)
        {
            at[0] = (byte)(value >> 8);
            at[1] = (byte)value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put32(byte* at, uint value)
        {
            at[0] = (byte)(value >> 24);
            at[1] = (byte)(value >> 16);
            at[2] = (byte)(value >> 8);
            at[3] = (byte)value;
        }

        /// <summary>A MAC as NetInfo gives it (first byte in the lowest bits; the machine is little-endian).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong GetMac(byte* at) => *(uint*)at | (ulong)*(ushort*)(at + 4) << 32;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void PutMac(byte* at, ulong mac)
        {
            *(uint*)at = (uint)mac;
            *(ushort*)(at + 4) = (ushort)(mac >> 32);
        }

        /// <summary>count bytes from from to to (the ranges may overlap): the runtime's memmove,
        /// eight bytes a step (rep movsq), a quarter of the instructions of a loop of words; a few
        /// bytes that do not overlap (a 1-byte request's data) are moved in a loop, cheaper than
        /// the memmove's set-up.</summary>
        public static void Copy(byte* to, byte* from, uint count)
        {
            if (count <= 8 && (to + count <= from || from + count <= to))
            {
                for (uint i = 0; i < count; i++) to[i] = from[i];
                return;
            }
            System.Buffer.MemoryCopy(from, to, count, count);
        }

        public static void Zero(byte* to, uint count)
        {
            for (uint i = 0; i < count; i++) to[i] = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Min(uint a, uint b) => a < b ? a : b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Max(uint a, uint b) => a > b ? a : b;

        public static string FormatIpv4(uint address) =>
            (address >> 24).ToString() + "." + ((address >> 16) & 255).ToString() + "." + ((address >> 8) & 255).ToString() + "." + (address & 255).ToString();
    }
}
