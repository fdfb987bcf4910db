// JOS lab 4 user/spin: the parent forks a child that spins forever, lets it run for a few
// slices, then destroys it: preemption by the timer, and killing by capability.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static class Spin
    {
        public static int Main(string arguments)
        {
            System.Console.WriteLine("I am the parent.  Forking the child...");
            long child = Process.Fork();
            if (child == 0)
            {
                System.Console.WriteLine("I am the child.  Spinning...");
                while (true) { }
            }
            System.Console.WriteLine("I am the parent.  Running the child...");
            for (int i = 0; i < 8; i++) SystemCall.Yield();
            System.Console.WriteLine("I am the parent.  Killing the child...");
            SystemCall.EnvDestroy((ulong)child);
            return 0;
        }
    }
}
