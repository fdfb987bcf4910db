// Console output, as in .NET: text is encoded as UTF-8 and handed to the platform
// (ExoSharpWrite: the kernel writes the serial line, a user program makes a system call).
// Missing: input, colours, formatting overloads beyond string, char, int and long.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    public static unsafe class Console
    {
        [RuntimeImport("ExoSharpWrite")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void PlatformWrite(byte* bytes, int length);

        public static void Write(string value) => Write(value, false);

        /// <summary>Encodes value (and a newline) and hands it to the platform in as few writes
        /// as possible: one for a line up to 250 bytes, so lines from concurrent programs do not
        /// interleave in the middle.</summary>
        private static void Write(string value, bool newline)
        {
            if (value == null) value = "";
            byte* buffer = stackalloc byte[260];      // 252 + one 4-byte char + the newline, with room
            int used = 0;
            for (int i = 0; i < value.Length; i++)
            {
                if (used > 252)
                {
                    PlatformWrite(buffer, used);
                    used = 0;
                }
                int c = value[i];
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < value.Length && value[i + 1] >= 0xDC00 && value[i + 1] <= 0xDFFF)
                    c = 0x10000 + ((c - 0xD800) << 10) + (value[++i] - 0xDC00);
                else if (c >= 0xD800 && c <= 0xDFFF)
                    c = 0xFFFD;
                if (c < 0x80) buffer[used++] = (byte)c;
                else if (c < 0x800)
                {
                    buffer[used++] = (byte)(0xC0 | (c >> 6));
                    buffer[used++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c < 0x10000)
                {
                    buffer[used++] = (byte)(0xE0 | (c >> 12));
                    buffer[used++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[used++] = (byte)(0x80 | (c & 0x3F));
                }
                else
                {
                    buffer[used++] = (byte)(0xF0 | (c >> 18));
                    buffer[used++] = (byte)(0x80 | ((c >> 12) & 0x3F));
                    buffer[used++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[used++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            if (newline) buffer[used++] = (byte)'\n';
            if (used > 0) PlatformWrite(buffer, used);
        }

        public static void Write(char value)
        {
            char* one = stackalloc char[1];
            one[0] = value;
            Write(new string(one, 0, 1));
        }

        public static void Write(int value) => Write(value.ToString());

        public static void Write(long value) => Write(value.ToString());

        public static void WriteLine() => Write("\n");

        public static void WriteLine(string value) => Write(value, true);

        public static void WriteLine(int value) => WriteLine(value.ToString());

        public static void WriteLine(long value) => WriteLine(value.ToString());
    }
}
