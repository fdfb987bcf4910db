// Integer formatting for the integer types' ToString: decimal and hexadecimal, invariant culture.
// Allocates exactly one string per call. Floating-point formatting is missing.
namespace System
{
    internal static unsafe class Number
    {
        /// <param name="bits">The value zero-extended from its own width.</param>
        public static string Format(ulong bits, int sizeInBytes, bool isSigned, string format)
        {
            char kind = 'D';
            int digits = 0;
            if (format != null && format.Length > 0)
            {
                kind = format[0];
                for (int i = 1; i < format.Length; i++)
                {
                    char c = format[i];
                    if (c < '0' || c > '9' || digits > 64)
                        throw new FormatException("Format specifier was invalid.");
                    digits = digits * 10 + (c - '0');
                }
            }
            char* buffer = stackalloc char[72];
            int pos = 72;
            if (kind == 'x' || kind == 'X')
            {
                char letter = kind == 'x' ? 'a' : 'A';
                do
                {
                    int nibble = (int)(bits & 0xF);
                    buffer[--pos] = (char)(nibble < 10 ? '0' + nibble : letter + nibble - 10);
                    bits >>= 4;
                } while (bits != 0);
                while (72 - pos < digits) buffer[--pos] = '0';
                return new string(buffer, pos, 72 - pos);
            }
            if (kind != 'D' && kind != 'd')
                throw new FormatException("Format specifier was invalid.");
            bool negative = false;
            if (isSigned)
            {
                int shift = 64 - sizeInBytes * 8;
                long signedValue = (long)(bits << shift) >> shift;
                if (signedValue < 0)
                {
                    negative = true;
                    bits = (ulong)(-(signedValue + 1)) + 1;
                }
            }
            do
            {
                buffer[--pos] = (char)('0' + (int)(bits % 10));
                bits /= 10;
            } while (bits != 0);
            while (72 - pos < digits) buffer[--pos] = '0';
            if (negative) buffer[--pos] = '-';
            return new string(buffer, pos, 72 - pos);
        }
    }
}
