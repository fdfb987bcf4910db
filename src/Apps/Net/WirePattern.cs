// The seeded byte pattern the guest-to-guest wire tests send and check: xorshift64 (13, 7, 17)
// from the seed, each step's value as 8 bytes little-endian. src/Bench/Linux/wirepeer.c and
// tools/wire.sh generate the same bytes, so either end can check the other byte by byte or
// by hash. A pattern is a position in the stream; Fill and Check advance it.
namespace ExoSharp.Apps.Net
{
    internal unsafe struct WirePattern
    {
        private ulong _x, _at;

        public WirePattern(ulong seed)
        {
            _x = seed == 0 ? 1 : seed;
            _at = 0;
        }

        /// <summary>How many bytes of the stream Fill and Check have passed.</summary>
        public ulong Position => _at;

        private byte Next()
        {
            if ((_at & 7) == 0)
            {
                _x ^= _x << 13;
                _x ^= _x >> 7;
                _x ^= _x << 17;
            }
            byte b = (byte)(_x >> (int)(8 * (_at & 7)));
            _at++;
            return b;
        }

        /// <summary>Writes the next count bytes of the stream to buffer.</summary>
        public void Fill(byte* buffer, uint count)
        {
            for (uint i = 0; i < count; i++) buffer[i] = Next();
        }

        /// <summary>Compares buffer with the next count bytes: the stream offset of the first
        /// byte that differs, or -1 when all match.</summary>
        public long Check(byte* buffer, uint count)
        {
            long bad = -1;
            for (uint i = 0; i < count; i++)
            {
                ulong at = _at;
                if (Next() != buffer[i] && bad < 0) bad = (long)at;
            }
            return bad;
        }
    }
}
