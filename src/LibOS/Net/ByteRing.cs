// A circular byte buffer in the stack's arena: a TCP connection's send data (from SND.UNA on)
// or receive data (in order, unread; out-of-order data is written past Count at its place).
// Size is a power of two. Offsets are from the oldest byte.
namespace ExoSharp.LibOS.Net
{
    public unsafe struct ByteRing
    {
        private byte* _data;
        private uint _mask, _head;
        public uint Size, Count;

        public ByteRing(byte* data, uint size)
        {
            _data = data;
            Size = size;
            _mask = size - 1;
            _head = 0;
            Count = 0;
        }

        public uint Free => Size - Count;

        public void Clear()
        {
            _head = 0;
            Count = 0;
        }

        /// <summary>Copies count bytes to offset (from the oldest byte); the caller keeps
        /// offset + count within Size. Count is not changed.</summary>
        public void WriteAt(uint offset, byte* from, uint count)
        {
            uint at = (_head + offset) & _mask;
            uint first = Wire.Min(count, Size - at);
            Wire.Copy(_data + at, from, first);
            if (first < count) Wire.Copy(_data, from + first, count - first);
        }

        public void ReadAt(uint offset, byte* to, uint count)
        {
            uint at = (_head + offset) & _mask;
            uint first = Wire.Min(count, Size - at);
            Wire.Copy(to, _data + at, first);
            if (first < count) Wire.Copy(to + first, _data, count - first);
        }

        /// <summary>Where appended bytes go next, and how many fit there in one piece (the free
        /// space up to the end of the memory): the caller writes them, then Commit.</summary>
        public byte* FreeSpace(out uint length)
        {
            uint at = (_head + Count) & _mask;
            length = Wire.Min(Free, Size - at);
            return _data + at;
        }

        /// <summary>count bytes written at FreeSpace become data (count at most its length).</summary>
        public void Commit(uint count) => Count += count;

        /// <summary>Appends up to count bytes; how many fitted.</summary>
        public uint Append(byte* from, uint count)
        {
            count = Wire.Min(count, Free);
            WriteAt(Count, from, count);
            Count += count;
            return count;
        }

        public void Drop(uint count)
        {
            if (count > Count) count = Count;
            _head = (_head + count) & _mask;
            Count -= count;
        }
    }
}
