// The kernel console: text to the serial line, one byte per char (ASCII). Never allocates,
// so the panic and kill paths can use it with a broken heap. Interrupts off.
using System.Runtime;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Console
{
    private static bool s_midLine;

    /// <summary>Whether the last byte written ended a line (or nothing was written): the
    /// collector's lines are skipped unless it holds, so they never split a program's line.</summary>
    public static bool AtLineStart => !s_midLine;

    public static void Write(string s)
    {
        if (s == null) return;
        for (int i = 0; i < s.Length; i++) Write(s[i]);
    }

    public static void Write(char c)
    {
        Serial.WriteByte(c < 128 ? (byte)c : (byte)'?');
        s_midLine = c != '\n';
    }

    public static void WriteLine(string s)
    {
        Write(s);
        Write('\n');
    }

    public static void WriteBytes(byte* bytes, long length)
    {
        for (long i = 0; i < length; i++) Serial.WriteByte(bytes[i]);
        if (length > 0) s_midLine = bytes[length - 1] != (byte)'\n';
    }

    /// <summary>System.Console's output in the kernel.</summary>
    [RuntimeExport("ExoSharpWrite")]
    public static void PlatformWrite(byte* bytes, int length) => WriteBytes(bytes, length);

    /// <summary>Writes format with each "{}" replaced by the next value in decimal ("{x}": in hex,
    /// as WriteHex). Never allocates.</summary>
    public static void Format(string format, ulong a = 0, ulong b = 0, ulong c = 0, ulong d = 0)
    {
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            bool hex = format[i] == '{' && i + 2 < format.Length && format[i + 1] == 'x' && format[i + 2] == '}';
            if (!hex && (format[i] != '{' || i + 1 >= format.Length || format[i + 1] != '}'))
            {
                Write(format[i]);
                continue;
            }
            ulong value = next == 0 ? a : next == 1 ? b : next == 2 ? c : d;
            next++;
            if (hex) WriteHex(value);
            else WriteDecimal(value);
            i += hex ? 2 : 1;
        }
    }

    /// <summary>Writes "0x" and the value in lowercase hex, at least one digit.</summary>
    public static void WriteHex(ulong value, int minDigits = 1)
    {
        Write("0x");
        int digits = 16;
        while (digits > minDigits && (value >> ((digits - 1) * 4)) == 0) digits--;
        for (int i = digits - 1; i >= 0; i--)
        {
            int nibble = (int)((value >> (i * 4)) & 0xF);
            Write((char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
        }
    }

    public static void WriteDecimal(long value)
    {
        if (value < 0)
        {
            Write('-');
            WriteDecimal((ulong)(-(value + 1)) + 1);
            return;
        }
        WriteDecimal((ulong)value);
    }

    public static void WriteDecimal(ulong value)
    {
        char* buffer = stackalloc char[20];
        int n = 0;
        do
        {
            buffer[n++] = (char)('0' + (int)(value % 10));
            value /= 10;
        } while (value != 0);
        while (n > 0) Write(buffer[--n]);
    }
}
