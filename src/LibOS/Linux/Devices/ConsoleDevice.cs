// The terminal of a Linux process: its standard input, output and error when they are the
// console. Read goes through ExOS's line discipline (Console: canonical with echo, or raw as
// the termios settings say), Write to the serial line, Ioctl serves the terminal requests
// (termios get and set, window size, foreground process group, bytes ready); the descriptor
// table's ConsoleObject calls them. The ring is attached when the process starts (Open), so
// nothing typed meanwhile is lost. Results are
// Linux's: a count, or -errno. ^C with ISIG: Read answers EINTR and InterruptPending is set for
// whoever delivers SIGINT. No console capability (a child that was not given one): reads are
// end of file, as from /dev/null. Missing: O_NONBLOCK (the descriptor's), job control stops.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Devices
{
    public static unsafe class ConsoleDevice
    {
        public const ulong TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
            TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B;

        private static ushort s_rows = 24, s_columns = 80, s_xPixels, s_yPixels;
        private static int s_foregroundGroup;      // 0: never set; the caller's own group answers

        /// <summary>Set when ^C interrupted a read; the signal code takes it (SIGINT to the foreground group).</summary>
        public static bool InterruptPending;

        /// <summary>The foreground process group (TIOCSPGRP's).</summary>
        public static int ForegroundGroup => s_foregroundGroup != 0 ? s_foregroundGroup : (int)Processes.ProcessCalls.GetPgid(0);

        /// <summary>Attaches the console's ring unless it is; whether it is (false: no console capability).</summary>
        public static bool Open() => Console.IsOpen || Console.Open() >= 0;

        /// <summary>read(2) on the terminal: blocks for a line (canonical) or bytes (raw).
        /// Precondition: the caller checked buffer (DescriptorCalls does, for the program's).</summary>
        public static long Read(byte* buffer, ulong length)
        {
            if (length == 0) return 0;
            if (length > int.MaxValue) length = int.MaxValue;
            if (!Open()) return 0;
            long n = Console.Read(buffer, (int)length, true);
            if (n == Console.Interrupted)
            {
                InterruptPending = true;
                return -(long)Errno.EINTR;
            }
            if (n == Console.WouldBlock) return -(long)Errno.EAGAIN;
            return n < 0 ? -(long)Errno.EIO : n;
        }

        /// <summary>write(2) on the terminal: the bytes as they are (the host's terminal adds the
        /// carriage returns). Precondition: the caller checked buffer.</summary>
        public static long Write(byte* buffer, ulong length)
        {
            for (ulong done = 0; done < length;)
            {
                ulong chunk = length - done > (ulong)UserLayout.MaxConsoleWrite ? (ulong)UserLayout.MaxConsoleWrite : length - done;
                SystemCall.ConsoleWrite(buffer + done, (long)chunk);
                done += chunk;
            }
            return (long)length;
        }

        /// <summary>ioctl(2) on the terminal; requests it does not know: ENOTTY.</summary>
        public static long Ioctl(ulong request, ulong argument)
        {
            switch (request)
            {
                case TCGETS:
                {
                    if (!UserPointers.Check(argument, ConsoleSettings.Size, true)) return -(long)Errno.EFAULT;
                    ConsoleSettings s = Console.Settings;
                    System.Buffer.MemoryCopy(&s, (void*)argument, ConsoleSettings.Size, ConsoleSettings.Size);
                    return 0;
                }
                case TCSETS: case TCSETSW: case TCSETSF:
                {
                    if (!UserPointers.Check(argument, ConsoleSettings.Size, false)) return -(long)Errno.EFAULT;
                    ConsoleSettings s;
                    System.Buffer.MemoryCopy((void*)argument, &s, ConsoleSettings.Size, ConsoleSettings.Size);
                    Open();
                    Console.SetSettings(s, request == TCSETSF);      // output is never queued: TCSETSW has nothing to drain
                    return 0;
                }
                case TIOCGWINSZ:
                {
                    if (!UserPointers.Check(argument, 8, true)) return -(long)Errno.EFAULT;
                    ushort* w = (ushort*)argument;
                    w[0] = s_rows; w[1] = s_columns; w[2] = s_xPixels; w[3] = s_yPixels;
                    return 0;
                }
                case TIOCSWINSZ:
                {
                    if (!UserPointers.Check(argument, 8, false)) return -(long)Errno.EFAULT;
                    ushort* w = (ushort*)argument;
                    s_rows = w[0]; s_columns = w[1]; s_xPixels = w[2]; s_yPixels = w[3];
                    return 0;
                }
                case TIOCGPGRP:
                    if (!UserPointers.Check(argument, 4, true)) return -(long)Errno.EFAULT;
                    *(int*)argument = ForegroundGroup;
                    return 0;
                case TIOCSPGRP:
                {
                    if (!UserPointers.Check(argument, 4, false)) return -(long)Errno.EFAULT;
                    int group = *(int*)argument;
                    if (group <= 0) return -(long)Errno.EINVAL;
                    s_foregroundGroup = group;
                    return 0;
                }
                case FIONREAD:
                    if (!UserPointers.Check(argument, 4, true)) return -(long)Errno.EFAULT;
                    *(int*)argument = Open() ? Console.Available : 0;
                    return 0;
                default:
                    return -(long)Errno.ENOTTY;
            }
        }
    }
}
