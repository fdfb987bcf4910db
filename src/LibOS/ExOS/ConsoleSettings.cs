// The console's line-discipline settings (Console.Settings), laid out as Linux's kernel termios
// (struct termios of TCGETS: four flag words, the line, 19 control characters; 36 bytes) with
// POSIX's bit values, so a Linux library OS copies them in and out as they are. Only the flags
// Console acts on are named; the others are kept and reported but change nothing.
using System.Runtime.InteropServices;

namespace ExoSharp.LibOS.ExOS
{
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ConsoleSettings
    {
        public const int Size = 36;
        public const int ControlCharacterCount = 19;

        // InputFlags.
        public const uint NewlineToReturn = 0x40;       // INLCR
        public const uint IgnoreReturn = 0x80;          // IGNCR
        public const uint ReturnToNewline = 0x100;      // ICRNL
        // LocalFlags.
        public const uint Signals = 0x1;                // ISIG: VINTR is an interrupt, not data
        public const uint Canonical = 0x2;              // ICANON: lines, with erase and kill
        public const uint Echo = 0x8;                   // ECHO
        public const uint EchoErase = 0x10;             // ECHOE: erase echoes as backspace, space, backspace
        public const uint EchoKill = 0x20;              // ECHOK: kill echoes a newline after the kill character
        public const uint EchoNewline = 0x40;           // ECHONL: newline echoed even without ECHO
        public const uint NoFlush = 0x80;               // NOFLSH: an interrupt keeps the input
        public const uint EchoControl = 0x200;          // ECHOCTL: control characters echo as ^X
        public const uint EchoKillErase = 0x800;        // ECHOKE: kill erases the line on the screen
        public const uint Extended = 0x8000;            // IEXTEN: VWERASE
        // ControlCharacters indices.
        public const int Interrupt = 0, Quit = 1, Erase = 2, Kill = 3, EndOfFile = 4, Time = 5, Minimum = 6,
            EndOfLine = 11, WordErase = 14, EndOfLine2 = 16;

        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte Line;
        public fixed byte ControlCharacters[ControlCharacterCount];

        /// <summary>A terminal's settings when it opens, as Linux sets them: canonical with echo,
        /// carriage return read as newline, ^C interrupt, DEL erase, ^U kill, ^D end of file.</summary>
        public static ConsoleSettings Initial
        {
            get
            {
                var s = new ConsoleSettings
                {
                    InputFlags = ReturnToNewline | 0x400,                        // ICRNL, IXON
                    OutputFlags = 0x5,                                           // OPOST, ONLCR
                    ControlFlags = 0x4BF,                                        // B38400, CS8, CREAD, HUPCL
                    LocalFlags = Signals | Canonical | Echo | EchoErase | EchoKill | EchoControl | EchoKillErase | Extended,
                };
                byte* c = s.ControlCharacters;
                c[Interrupt] = 0x03; c[Quit] = 0x1C; c[Erase] = 0x7F; c[Kill] = 0x15; c[EndOfFile] = 0x04;
                c[Time] = 0; c[Minimum] = 1; c[8] = 0x11; c[9] = 0x13; c[10] = 0x1A;
                c[12] = 0x12; c[13] = 0x0F; c[WordErase] = 0x17; c[15] = 0x16;
                return s;
            }
        }
    }
}
