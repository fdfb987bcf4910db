// consoleread: reads what is typed on the serial console through ExOS's line discipline
// (tests/Boot/console-read.test types it): lines in canonical mode with echo, erase and kill,
// until ^D; then a line cut short by ^C; then raw mode without echo or signals. Prints each
// read's bytes escaped (\n, \xNN), so the test checks them byte for byte. A forked child
// starts with the console closed: it holds no console capability.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Terminal
{
    internal static unsafe class ConsoleRead
    {
        public static int Main(string arguments)
        {
            long opened = Console.Open();
            System.Console.WriteLine("consoleread: open -> " + opened.ToString());
            if (opened < 0) return 1;
            byte* buffer = stackalloc byte[256];
            System.Console.WriteLine("consoleread: ready for lines");
            int lines = 0;
            while (true)
            {
                long n = Console.Read(buffer, 256, true);
                if (n == 0) break;
                if (n < 0) { System.Console.WriteLine("consoleread: read -> " + n.ToString() + " WRONG"); return 1; }
                lines++;
                System.Console.WriteLine("consoleread: line " + lines.ToString() + ": " + Escaped(buffer, n) + " (" + n.ToString() + " bytes)");
            }
            System.Console.WriteLine("consoleread: end of file after " + lines.ToString() + " lines; type ^C");
            long interrupted = Console.Read(buffer, 256, true);
            System.Console.WriteLine();                     // after the echoed ^C, as a shell does
            System.Console.WriteLine("consoleread: read -> " + (interrupted == Console.Interrupted ? "Interrupted" : interrupted.ToString()) +
                "; nonblocking read -> " + (Console.Read(buffer, 256, false) == Console.WouldBlock ? "WouldBlock" : "WRONG"));

            ConsoleSettings raw = Console.Settings;
            raw.LocalFlags &= ~(ConsoleSettings.Canonical | ConsoleSettings.Echo | ConsoleSettings.Signals);
            Console.SetSettings(raw, false);
            System.Console.WriteLine("consoleread: raw mode, reading 4 bytes");
            int got = 0;
            while (got < 4)
            {
                long n = Console.Read(buffer + got, 4 - got, true);
                if (n <= 0) { System.Console.WriteLine("consoleread: raw read -> " + n.ToString() + " WRONG"); return 1; }
                got += (int)n;
            }
            System.Console.WriteLine("consoleread: raw bytes " + Escaped(buffer, got) + "; ring received " + Console.Received.ToString() +
                ", dropped " + Console.Dropped.ToString());
            long child = Process.Fork();
            if (child == 0)
            {
                // The fork's copy of the library's state: no ring and no capability here.
                bool open = Console.IsOpen;
                long read = Console.Read(buffer, 1, false);
                long reopened = Console.Open();
                System.Console.WriteLine("consoleread: forked child: open " + (open ? "yes" : "no") + ", read -> " + read.ToString() + ", Open -> " + reopened.ToString());
                SystemCall.Exit(0);
            }
            Process.Wait((ulong)child);
            return 0;
        }

        public static string Escaped(byte* bytes, long length)
        {
            const string hex = "0123456789abcdef";
            byte[] text = new byte[length * 4 + 2];
            int n = 0;
            text[n++] = (byte)'"';
            for (long i = 0; i < length; i++)
            {
                byte b = bytes[i];
                if (b == (byte)'\n') { text[n++] = (byte)'\\'; text[n++] = (byte)'n'; }
                else if (b < 0x20 || b >= 0x7F || b == (byte)'"' || b == (byte)'\\')
                {
                    text[n++] = (byte)'\\';
                    text[n++] = (byte)'x';
                    text[n++] = (byte)hex[b >> 4];
                    text[n++] = (byte)hex[b & 15];
                }
                else text[n++] = b;
            }
            text[n++] = (byte)'"';
            fixed (byte* p = text) return new string((sbyte*)p, 0, n);
        }
    }
}
