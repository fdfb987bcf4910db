// A parent that makes a child (exofork) and ends without ever making it runnable: ExOS's exit
// policy (Process.AtExit) destroys the child (tests/Boot/orphan.test); the kernel has no such rule.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static class Orphan
    {
        public static int Main(string arguments)
        {
            long child = SystemCall.EnvCreate();
            if (child == 0) return 99;          // never runs: nobody makes it runnable
            System.Console.WriteLine("orphan: made env " + SystemCall.EnvIdOf((ulong)child).ToString() + " and leaves it unstarted");
            return 0;
        }
    }
}
