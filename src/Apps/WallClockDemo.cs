// `clock`: reads the wall clock from the kernel's clock page (no system call), prints it as
// seconds and as a UTC date, and checks that the ticks advance across a sleep; the boot
// test compares the seconds with the host's clock.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static class WallClockDemo
    {
        public static int Main(string arguments)
        {
            ulong seconds = Clock.UnixSeconds;
            System.Console.WriteLine("clock: wall time " + seconds.ToString() + " s since 1970 (" +
                CivilTime.FromUnixSeconds(seconds).ToString() + " UTC)");
            ulong before = Clock.Ticks;
            Clock.Sleep(20);
            ulong after = Clock.Ticks;
            System.Console.WriteLine("clock: ticks " + before.ToString() + " -> " + after.ToString() +
                " across a sleep of 20 ticks" + (after - before >= 20 ? " ok" : " WRONG"));
            return seconds == 0 ? 1 : 0;
        }
    }
}
