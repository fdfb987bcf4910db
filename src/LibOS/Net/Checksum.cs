// The Internet checksum (RFC 1071) over byte ranges, and the TCP/UDP pseudo-header. Sums are
// kept unfolded in 64 bits until Fold, so ranges can be summed separately and added (each
// range must start at an even offset of the checksummed whole, except the last).
namespace ExoSharp.LibOS.Net
{
    public static unsafe class Checksum
    {
        public static ulong Sum(byte* data, uint length, ulong sum = 0)
        {
            uint i = 0;
            for (; i + 4 <= length; i += 4) sum += Wire.Get32(data + i);
            for (; i + 2 <= length; i += 2) sum += Wire.Get16(data + i);
            if (i < length) sum += (ulong)data[i] << 8;
            return sum;
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
