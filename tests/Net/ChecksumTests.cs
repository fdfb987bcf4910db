// The Internet checksum's Sum against RFC 1071's definition written out plainly (16-bit
// big-endian words, a last odd byte as a high half, end-around carry): every length from 0 to
// 300 at every alignment of 0-7, random bytes and all-0xFF (the carries), ranges summed apart
// and added, and a TCP header checked by the sum over it coming out 0.
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public unsafe class ChecksumTests
    {
        private static ushort Reference(byte[] data, int start, int length)
        {
            ulong sum = 0;
            for (int i = 0; i + 1 < length; i += 2) sum += (ulong)(data[start + i] << 8 | data[start + i + 1]);
            if ((length & 1) != 0) sum += (ulong)data[start + length - 1] << 8;
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }

        [Fact]
        public void MatchesTheDefinitionAtEveryLengthAndAlignment()
        {
            var random = new System.Random(7);
            byte[] data = new byte[320], ones = new byte[320];
            random.NextBytes(data);
            System.Array.Fill(ones, (byte)0xFF);
            int checkedCount = 0;
            foreach (byte[] bytes in new[] { data, ones })
                fixed (byte* p = bytes)
                    for (int start = 0; start < 8; start++)
                        for (int length = 0; length <= 300; length++)
                        {
                            Assert.Equal(Reference(bytes, start, length), Checksum.Fold(Checksum.Sum(p + start, (uint)length)));
                            checkedCount++;
                        }
            Assert.Equal(2 * 8 * 301, checkedCount);
        }

        [Fact]
        public void RangesAddUpAndAHeaderChecksToZero()
        {
            var random = new System.Random(11);
            byte[] data = new byte[1500];
            random.NextBytes(data);
            fixed (byte* p = data)
            {
                for (int cut = 0; cut <= 1500; cut += 2)
                    Assert.Equal(Reference(data, 0, 1500), Checksum.Fold(Checksum.Sum(p + cut, (uint)(1500 - cut), Checksum.Sum(p, (uint)cut))));
                ulong pseudo = Checksum.Pseudo(0x0A00020F, 0x0A000202, 6, 1500);
                p[16] = 0; p[17] = 0;
                ushort stored = Checksum.Fold(Checksum.Sum(p, 1500, pseudo));
                Wire.Put16(p + 16, stored);
                Assert.Equal(0, Checksum.Fold(Checksum.Sum(p, 1500, pseudo)));
            }
        }
    }
}
