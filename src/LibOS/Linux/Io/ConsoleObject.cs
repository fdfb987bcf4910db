// The console as a descriptor's object (fds 0, 1 and 2 at start): writes go to the kernel's
// console (ConsoleWrite, in chunks of UserLayout.MaxConsoleWrite), reads answer end of file,
// ioctl ENOTTY, fstat a character device (a terminal, st_rdev 0x8801). Console input and
// termios plug in here (Read, Ioctl). Missing: both.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public sealed unsafe class ConsoleObject : OpenObject
    {
        public override long Read(byte* buffer, ulong count) => 0;

        public override long Write(byte* buffer, ulong count)
        {
            for (ulong done = 0; done < count;)
            {
                ulong chunk = count - done > (ulong)UserLayout.MaxConsoleWrite ? (ulong)UserLayout.MaxConsoleWrite : count - done;
                SystemCall.ConsoleWrite(buffer + done, (long)chunk);
                done += chunk;
            }
            return (long)count;
        }

        public override long Ioctl(ulong request, ulong argument) => Fail(Errno.ENOTTY);

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
