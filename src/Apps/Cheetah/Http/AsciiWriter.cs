// Appends protocol text to a fixed buffer: strings (one byte per char, Latin-1), bytes, decimal
// and hexadecimal numbers. Writing past the capacity sets Overflow and writes nothing more, so
// a caller checks once at the end instead of at every append.
namespace ExoSharp.Apps.Cheetah.Http
{
    public unsafe struct AsciiWriter
    {
        private readonly byte* _buffer;
        private readonly int _capacity;
        public int Length;
        public bool Overflow;

        public AsciiWriter(byte* buffer, int capacity)
        {
            _buffer = buffer;
            _capacity = capacity;
            Length = 0;
            Overflow = false;
        }

        public void Text(string s)
        {
            if (Length + s.Length > _capacity) { Overflow = true; return; }
            for (int k = 0; k < s.Length; k++) _buffer[Length + k] = (byte)s[k];
            Length += s.Length;
        }

        public void Bytes(byte* b, int count)
        {
            if (Length + count > _capacity) { Overflow = true; return; }
            System.Buffer.MemoryCopy(b, _buffer + Length, count, count);
            Length += count;
        }

        public void Byte(byte c)
        {
            if (Length + 1 > _capacity) { Overflow = true; return; }
            _buffer[Length++] = c;
        }

        public void Decimal(ulong value)
        {
            byte* digits = stackalloc byte[20];
            int n = 0;
            do { digits[n++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
            if (Length + n > _capacity) { Overflow = true; return; }
            while (n > 0) _buffer[Length++] = digits[--n];
        }

        /// <summary>value in decimal with at least width digits (leading zeros).</summary>
        public void Decimal(ulong value, int width)
        {
            ulong limit = 1;
            for (int k = 1; k < width; k++) limit *= 10;
            for (; limit > 1 && value < limit; limit /= 10) Byte((byte)'0');
            Decimal(value);
        }

        public void Hex(ulong value)
        {
            byte* digits = stackalloc byte[16];
            int n = 0;
            do { digits[n++] = (byte)"0123456789abcdef"[(int)(value & 15)]; value >>= 4; } while (value != 0);
            if (Length + n > _capacity) { Overflow = true; return; }
            while (n > 0) _buffer[Length++] = digits[--n];
        }
    }
}
