// User-level threads preempted through the slice upcalls: three threads count in busy
// loops and never yield; the library switches them at slice boundaries. Passes if all three
// finish and the epilogue/prologue pair really switched threads.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class ThreadsDemo
    {
        private static volatile int s_finished;

        private static void Count()
        {
            int me = Threads.Current;
            ulong sum = 0;
            for (ulong i = 0; i < 30_000_000; i++) sum += i;      // several slices of work
            System.Console.WriteLine("threads: thread " + me.ToString() + " done (" + sum.ToString() + ")");
            s_finished++;
        }

        public static int Main(string arguments)
        {
            if (Threads.Initialize() < 0) return 1;
            for (int i = 0; i < 3; i++) Threads.Create(&Count);
            while (s_finished < 3) { }
            System.Console.WriteLine("threads: all 3 threads finished after " + Threads.Switches.ToString() + " switches");
            return Threads.Switches >= 3 ? 0 : 1;
        }
    }
}
