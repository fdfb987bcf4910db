// The console as a descriptor's object (fds 0, 1 and 2 at start, /dev/tty, /dev/console): reads
// through ExOS's line discipline, writes to the serial line, the terminal ioctls (all three are
// Devices/ConsoleDevice.cs), fstat a character device (a terminal, st_rdev 0x8801); readable for
// poll when a read would not wait. Missing: O_NONBLOCK on the descriptor.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Devices;

namespace ExoSharp.LibOS.Linux.Io
{
    public sealed unsafe class ConsoleObject : OpenObject
    {
        public override long Read(byte* buffer, ulong count) => ConsoleDevice.Read(buffer, count);

        public override long Write(byte* buffer, ulong count) => ConsoleDevice.Write(buffer, count);

        public override long Ioctl(ulong request, ulong argument) => ConsoleDevice.Ioctl(request, argument);

        /// <summary>Readable when a read would not wait (or there is no console: end of file).</summary>
        public override int Poll() => !ConsoleDevice.Open() || Console.WaitReadable(0) ? PollIn | PollOut : PollOut;

        public override bool MayChange => true;

        public override long Stat(out FileStat st, out ulong device)
        {
            st = default;
            st.Mode = 0x2190;                       // S_IFCHR | 0620
            st.Nlink = 1;
            device = 0x8801;                        // a terminal
            return 0;
        }

        public override int Flags => Files.ReadWrite;

        public override OpenObject Duplicate() => new ConsoleObject();

        public override void Close() { }
    }
}
