// Loads programs from the text libpcap's tools print: `tcpdump -dd` ("{ 0x28, 0, 0, 0x0000000c },"
// per line) and `tcpdump -ddd` (the count, then "40 0 0 12" per line). Numbers are decimal or
// 0x-hex; blank lines and lines starting with '#' are ignored. ASCII bytes in, no allocation,
// errors as values. Does not verify: run the Verifier on the result. Host-only (the filter-verdicts
// tool and the executive's tests): the kernel takes programs as bytecode, never as text.
using System;
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Tools.FilterVerdicts
{
    public static unsafe class ProgramText
    {
        /// <summary>Parses into output; Count says how many instructions were written.</summary>
        public static TextParseResult Parse(ReadOnlySpan<byte> text, Span<Instruction> output)
        {
            bool braces = false;
            for (int i = 0; i < text.Length && !braces; i++) braces = text[i] == (byte)'{';
            int count = 0, line = 0, declared = -1;
            int position = 0;
            ulong* fields = stackalloc ulong[5];
            while (position < text.Length)
            {
                int end = position;
                while (end < text.Length && text[end] != (byte)'\n') end++;
                ReadOnlySpan<byte> current = text.Slice(position, end - position);
                position = end + 1;
                line++;

                int found;
                TextParseError error = Fields(current, fields, 5, out found);
                if (error != TextParseError.None) return Failure(error, line);
                if (found == 0) continue;
                if (!braces && declared < 0)
                {
                    if (found != 1) return Failure(TextParseError.WrongFieldCount, line);
                    if (fields[0] > (ulong)ExoSharp.Executive.Verification.Verifier.MaxLength) return Failure(TextParseError.TooManyInstructions, line);
                    declared = (int)fields[0];
                    continue;
                }
                if (found != 4) return Failure(TextParseError.WrongFieldCount, line);
                if (fields[0] > 0xFFFF || fields[1] > 0xFF || fields[2] > 0xFF || fields[3] > 0xFFFFFFFF)
                    return Failure(TextParseError.NumberTooLarge, line);
                if (count == output.Length) return Failure(TextParseError.TooManyInstructions, line);
                output[count++] = new Instruction((ushort)fields[0], (byte)fields[1], (byte)fields[2], (uint)fields[3]);
            }
            if (declared >= 0 && declared != count) return Failure(TextParseError.CountMismatch, line);
            if (count == 0) return Failure(TextParseError.NoInstructions, line);
            return new TextParseResult { Error = TextParseError.None, Line = line, Count = count };
        }

        /// <summary>Parses into a new array of exactly the right length (null on error).</summary>
        public static Instruction[] Parse(ReadOnlySpan<byte> text, out TextParseResult result)
        {
            Instruction[] buffer = new Instruction[ExoSharp.Executive.Verification.Verifier.MaxLength];
            result = Parse(text, buffer);
            if (!result.IsValid) return null;
            Instruction[] program = new Instruction[result.Count];
            for (int i = 0; i < result.Count; i++) program[i] = buffer[i];
            return program;
        }

        private static TextParseResult Failure(TextParseError error, int line) => new TextParseResult { Error = error, Line = line };

        /// <summary>Reads up to capacity numbers from a line; separators are blanks, commas and braces.</summary>
        private static TextParseError Fields(ReadOnlySpan<byte> line, ulong* fields, int capacity, out int found)
        {
            found = 0;
            int i = 0;
            while (i < line.Length && IsBlank(line[i])) i++;
            if (i < line.Length && line[i] == (byte)'#') return TextParseError.None;
            while (i < line.Length)
            {
                byte c = line[i];
                if (IsBlank(c) || c == (byte)',' || c == (byte)'{' || c == (byte)'}')
                {
                    i++;
                    continue;
                }
                if (c < (byte)'0' || c > (byte)'9') return TextParseError.BadCharacter;
                ulong value = 0;
                bool hex = c == (byte)'0' && i + 1 < line.Length && (line[i + 1] == (byte)'x' || line[i + 1] == (byte)'X');
                if (hex)
                {
                    i += 2;
                    int digits = 0;
                    while (i < line.Length && HexDigit(line[i]) >= 0)
                    {
                        value = value * 16 + (ulong)HexDigit(line[i]);
                        if (value > 0xFFFFFFFFul) return TextParseError.NumberTooLarge;
                        i++;
                        digits++;
                    }
                    if (digits == 0) return TextParseError.BadCharacter;
                }
                else
                {
                    while (i < line.Length && line[i] >= (byte)'0' && line[i] <= (byte)'9')
                    {
                        value = value * 10 + (ulong)(line[i] - (byte)'0');
                        if (value > 0xFFFFFFFFul) return TextParseError.NumberTooLarge;
                        i++;
                    }
                }
                if (i < line.Length && !IsBlank(line[i]) && line[i] != (byte)',' && line[i] != (byte)'}' && line[i] != (byte)'{')
                    return TextParseError.BadCharacter;
                if (found == capacity) return TextParseError.WrongFieldCount;
                fields[found++] = value;
            }
            return TextParseError.None;
        }

        private static bool IsBlank(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\r';

        private static int HexDigit(byte c)
        {
            if (c >= (byte)'0' && c <= (byte)'9') return c - (byte)'0';
            if (c >= (byte)'a' && c <= (byte)'f') return c - (byte)'a' + 10;
            if (c >= (byte)'A' && c <= (byte)'F') return c - (byte)'A' + 10;
            return -1;
        }
    }
}
