// The reason an ExOS program ends with (the Abort system call, printed in its kill line),
// built in the caller's stack buffer of Capacity bytes without allocating, so a broken heap
// or an exhausted one can still explain itself. ASCII (other chars as '?'); addresses in hex,
// raw: the host's tools/symbolize.py names them. What does not fit is cut off.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public unsafe struct AbortText
    {
        public const int Capacity = 2048;

        private readonly byte* _text;
        private int _length;

        /// <summary>Precondition: buffer holds Capacity bytes.</summary>
        public AbortText(byte* buffer)
        {
            _text = buffer;
            _length = 0;
        }

        /// <summary>Appends s's first chars, at most limit.</summary>
        public void Append(string s, int limit = int.MaxValue)
        {
            for (int i = 0; s != null && i < s.Length && i < limit && _length < Capacity; i++)
                _text[_length++] = s[i] < 128 ? (byte)s[i] : (byte)'?';
        }

        /// <summary>Appends "0x" and value in lowercase hex.</summary>
        public void AppendHex(ulong value)
        {
            Append("0x");
            int digits = 1;
            while (digits < 16 && (value >> (digits * 4)) != 0) digits++;
            for (int i = digits - 1; i >= 0 && _length < Capacity; i--)
            {
                int nibble = (int)((value >> (i * 4)) & 0xF);
                _text[_length++] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            }
        }

        /// <summary>Ends the program as killed with this text; does not return.</summary>
        public void Abort() => SystemCall.Invoke(Syscall.Abort, (ulong)_text, (ulong)_length);
    }
}
