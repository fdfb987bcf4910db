// A bulk transfer between two connected handles through a Rig, checked byte for byte: each
// side sends a seeded pseudo-random stream and checks what arrives against the other's.
namespace ExoSharp.Tests.Net
{
    public sealed class Bulk
    {
        private readonly byte[] _out, _in = new byte[65536];
        private int _sent, _received;
        private readonly int _total;
        private readonly byte[] _expected;
        public bool Mismatch;

        public Bulk(int total, int seedOut, int seedIn)
        {
            _total = total;
            _out = Pattern(total, seedOut);
            _expected = Pattern(total, seedIn);
        }

        public static byte[] Pattern(int length, int seed)
        {
            var b = new byte[length];
            new Random(seed).NextBytes(b);
            return b;
        }

        public bool Done => _sent == _total && _received == _total;
        public int Received => _received;

        /// <summary>Moves what it can: sends from its stream into h, takes arrivals from h.</summary>
        public void Pump(ExoSharp.LibOS.Net.NetStack s, int h)
        {
            while (_sent < _total)
            {
                int n = Rig.Send(s, h, _out, _sent, Math.Min(16384, _total - _sent));
                if (n <= 0) break;
                _sent += n;
            }
            while (true)
            {
                int n = Rig.Receive(s, h, _in);
                if (n <= 0) break;
                for (int i = 0; i < n; i++) if (_received + i >= _total || _in[i] != _expected[_received + i]) Mismatch = true;
                _received += n;
            }
        }

        /// <summary>Both directions at once: total bytes each way; whether both arrived intact.</summary>
        public static bool Exchange(Rig rig, int a, int b, int total, long limit)
        {
            var atA = new Bulk(total, 1, 2);
            var atB = new Bulk(total, 2, 1);
            bool ok = rig.RunUntil(() =>
            {
                atA.Pump(rig.A, a);
                atB.Pump(rig.B, b);
                return atA.Done && atB.Done;
            }, limit);
            Assert.False(atA.Mismatch || atB.Mismatch, "data mismatch");
            Assert.True(ok, $"transfer incomplete: A got {atA.Received}, B got {atB.Received} of {total}");
            return ok;
        }
    }
}
