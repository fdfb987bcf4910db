// The Internet checksum (RFC 1071) over byte ranges, and the TCP/UDP pseudo-header. Sums are
// kept unfolded in 64 bits until Fold, so ranges can be summed separately and added (each
// range must start at an even offset of the checksummed whole, except the last). Sum reads the
// bytes eight at a time in the machine's (little-endian) order and swaps the folded result into
// network order: the one's-complement sum commutes with swapping the bytes of every word (RFC
// 1071, "byte order independence"), so it is the same sum at about a quarter of the instructions.
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Net
{
    public static unsafe class Checksum
    {
        /// <summary>sum plus the 16-bit big-endian words of length bytes at data (a last odd byte
        /// as the high half of a word), partly folded: at most sum + 0xFFFF.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Sum(byte* data, uint length, ulong sum = 0) => sum + Swap(SumLittle(data, length));

        /// <summary>The sum of the 16-bit little-endian words of length bytes at data (a last odd
        /// byte as the low half of a word), folded to 16 bits: the machine-order form of Sum.</summary>
        public static ulong SumLittle(byte* data, uint length)
        {
            ulong a = 0, b = 0;
            uint i = 0;
            // Each 64-bit word adds its two 32-bit halves: no carry is lost below 2^31 words.
            for (; i + 32 <= length; i += 32)
            {
                ulong w0 = *(ulong*)(data + i), w1 = *(ulong*)(data + i + 8);
                ulong w2 = *(ulong*)(data + i + 16), w3 = *(ulong*)(data + i + 24);
                a += (w0 & 0xFFFF_FFFF) + (w0 >> 32) + (w1 & 0xFFFF_FFFF) + (w1 >> 32);
                b += (w2 & 0xFFFF_FFFF) + (w2 >> 32) + (w3 & 0xFFFF_FFFF) + (w3 >> 32);
            }
            for (; i + 8 <= length; i += 8)
            {
                ulong w = *(ulong*)(data + i);
                a += (w & 0xFFFF_FFFF) + (w >> 32);
            }
            for (; i + 2 <= length; i += 2) b += *(ushort*)(data + i);
            if (i < length) b += data[i];          // the high half of a big-endian word: low in memory order
            a += b;
            while ((a >> 16) != 0) a = (a & 0xFFFF) + (a >> 16);
            return a;
        }

        /// <summary>A sum folded to 16 bits with its two bytes exchanged: between the machine's and
        /// network order, or the contribution of bytes that start at an odd offset (RFC 1071).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Swap(ulong sum)
        {
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return ((sum & 0xFF) << 8) | (sum >> 8);
        }

        public static ulong Pseudo(uint source, uint destination, byte protocol, uint length) =>
            (ulong)(source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + protocol + length;

        /// <summary>The one's-complement of the folded sum: the value to store in a header.</summary>
        public static ushort Fold(ulong sum)
        {
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }
    }
}
