// The summed form of TcpSend: segments whose data a checksum source knows take their sum from it.
// A true source gives byte-exact transfers with no bad checksum, on a clean link and under loss
// and reordering (retransmissions cut the data at other places than the first sends); a source
// that gives wrong sums makes the receiver drop segments (so the sums are used); a source that no
// longer holds its bytes makes the stack read them. Bytes written in place (TcpSendSpace and
// TcpSendCommit, with sums) arrive the same way.
using System.Runtime.InteropServices;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public class SummedSendTests
    {
        private sealed unsafe class ArraySource : IChecksumSource
        {
            public readonly byte[] Data;
            public bool Lie, Gone;
            public long Calls;

            public ArraySource(byte[] data) => Data = data;

            public bool Sum(long tag, ulong offset, uint length, out ulong sum)
            {
                Calls++;
                sum = 0;
                if (Gone || tag != 42 || offset + length > (ulong)Data.Length) return false;
                fixed (byte* d = Data) sum = Checksum.Sum(d + offset, length);
                if (Lie) sum ^= 0x0101;
                return true;
            }
        }

        /// <summary>Sends source.Data from A to B in writes of odd sizes, each write's bytes after a
        /// 7-byte prefix of other bytes summed from the source (so pieces start at odd and even
        /// offsets of segments); whether B got exactly the expected stream.</summary>
        private static unsafe bool Transfer(Rig rig, ArraySource source, long limit)
        {
            var (a, b) = rig.Connect();
            var expected = new List<byte>();
            var got = new List<byte>();
            int sent = 0;
            byte[] buffer = new byte[4096], input = new byte[65536];
            bool done = rig.RunUntil(() =>
            {
                while (sent < source.Data.Length)
                {
                    int n = Math.Min(1333, source.Data.Length - sent);
                    for (int k = 0; k < 7; k++) buffer[k] = (byte)(sent + k);
                    Array.Copy(source.Data, sent, buffer, 7, n);
                    int r;
                    fixed (byte* p = buffer) r = rig.A.TcpSend(a, p, (uint)(n + 7), source, 42, (ulong)sent, 7, (uint)n);
                    if (r <= 0) break;
                    for (int k = 0; k < r; k++) expected.Add(buffer[k]);
                    if (r < n + 7) { sent += Math.Max(r - 7, 0); break; }   // a partial write: the rest starts a new prefix
                    sent += n;
                }
                int m;
                while ((m = Rig.Receive(rig.B, b, input)) > 0) for (int k = 0; k < m; k++) got.Add(input[k]);
                return sent == source.Data.Length && got.Count == expected.Count;
            }, limit);
            return done && got.SequenceEqual(expected);
        }

        [Fact]
        public void KnownSumsGiveExactTransfers()
        {
            var clean = new ArraySource(Bulk.Pattern(300_000, 5));
            var rig = new Rig(4);
            Assert.True(Transfer(rig, clean, 60_000), "clean transfer");
            Assert.True(clean.Calls > 100, "sums asked: " + clean.Calls);
            Assert.Equal(0, rig.B.Counters.TcpBadChecksum);

            var lossy = new ArraySource(Bulk.Pattern(300_000, 6));
            rig = new Rig(5);
            rig.Drop = 0.05; rig.Reorder = 0.05;
            Assert.True(Transfer(rig, lossy, 600_000), "lossy transfer");
            Assert.True(rig.A.Counters.RetransmitsTimeout + rig.A.Counters.RetransmitsFast + rig.A.Counters.RetransmitsSack > 0, "retransmissions");
            Assert.Equal(0, rig.B.Counters.TcpBadChecksum);
        }

        [Fact]
        public unsafe void WrittenInPlaceWithSums()
        {
            var source = new ArraySource(Bulk.Pattern(200_000, 9));
            var rig = new Rig(8);
            rig.Drop = 0.02;
            var (a, b) = rig.Connect();
            var got = new List<byte>();
            byte[] input = new byte[65536];
            int sent = 0, pieces = 0;
            Assert.True(rig.RunUntil(() =>
            {
                while (sent < source.Data.Length)
                {
                    byte* into = rig.A.TcpSendSpace(a, out uint room);
                    if (into == null) break;
                    int n = (int)Math.Min(room, (uint)Math.Min(3000, source.Data.Length - sent));
                    Marshal.Copy(source.Data, sent, (IntPtr)into, n);
                    Assert.Equal(n, rig.A.TcpSendCommit(a, (uint)n, source, 42, (ulong)sent, 0, (uint)n));
                    sent += n;
                    pieces++;
                }
                int m;
                while ((m = Rig.Receive(rig.B, b, input)) > 0) for (int k = 0; k < m; k++) got.Add(input[k]);
                return got.Count == source.Data.Length;
            }, 600_000), "transfer");
            Assert.True(got.SequenceEqual(source.Data), "bytes");
            Assert.True(source.Calls > 50 && pieces > 60, $"sums {source.Calls}, pieces {pieces}");
            Assert.Equal(0, rig.B.Counters.TcpBadChecksum);
            Assert.True(rig.A.TcpSendSpace(a, out _) != null);
            Assert.Equal(NetError.Invalid, rig.A.TcpSendCommit(a, 1u << 30, null, 0, 0, 0, 0));
        }

        [Fact]
        public void WrongSumsAreCaughtAndGoneSourcesAreRead()
        {
            var liar = new ArraySource(Bulk.Pattern(20_000, 7)) { Lie = true };
            var rig = new Rig(6);
            Assert.False(Transfer(rig, liar, 3_000), "a transfer with wrong sums");
            Assert.True(rig.B.Counters.TcpBadChecksum > 0, "the receiver dropped bad segments");

            var gone = new ArraySource(Bulk.Pattern(100_000, 8)) { Gone = true };
            rig = new Rig(7);
            Assert.True(Transfer(rig, gone, 60_000), "a transfer whose source dropped its bytes");
            Assert.True(gone.Calls > 0);
            Assert.Equal(0, rig.B.Counters.TcpBadChecksum);
        }
    }
}
