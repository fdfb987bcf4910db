// The `ehthreads` program: C# exceptions on three preempted user-level threads at once. Each
// thread throws across seven frames (a finally in each) and catches, many times, while the
// slice upcalls switch threads in the middle of dispatches. Dispatch keeps no global state,
// so every thread must get exactly its own exception back; tests/Boot/eh-threads.test checks
// the counts. Each thread throws an exception object made before the threads start: the heap
// is not yet safe against preemption between user threads, and this test is about dispatch.
using System.Runtime.CompilerServices;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Eh
{
    internal static unsafe class EhThreads
    {
        private const int Rounds = 4000, Threads = 3;
        private static volatile int s_finished;
        private static EhTestException[] s_exceptions;
        private static int[] s_caught, s_finallys, s_wrong;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Down(int depth, EhTestException exception, int me)
        {
            try
            {
                if (depth == 0) throw exception;
                return Down(depth - 1, exception, me) + 1;
            }
            finally { s_finallys[me]++; }
        }

        private static void Body()
        {
            int me = ExoSharp.LibOS.ExOS.Threads.Current;
            EhTestException mine = s_exceptions[me];
            for (int i = 0; i < Rounds; i++)
            {
                try { Down(6, mine, me); }
                catch (EhTestException e)
                {
                    if ((object)e == (object)mine && e.Value == me) s_caught[me]++;
                    else s_wrong[me]++;
                }
            }
            s_finished++;
        }

        public static int Main(string arguments)
        {
            s_exceptions = new EhTestException[Threads + 1];
            s_caught = new int[Threads + 1];
            s_finallys = new int[Threads + 1];
            s_wrong = new int[Threads + 1];
            for (int i = 0; i <= Threads; i++) s_exceptions[i] = new EhTestException(i);
            // A first dispatch here builds the unwinder's index and cache before any thread runs.
            try { Down(1, s_exceptions[0], 0); }
            catch (EhTestException) { }
            if (ExoSharp.LibOS.ExOS.Threads.Initialize() < 0) return 1;
            for (int i = 0; i < Threads; i++) ExoSharp.LibOS.ExOS.Threads.Create(&Body);
            while (s_finished < Threads) { }
            for (int t = 1; t <= Threads; t++)
                System.Console.WriteLine("ehthreads: thread " + t.ToString() + " caught its own exception " + s_caught[t].ToString() +
                                         " times of " + Rounds.ToString() + ", finallys " + s_finallys[t].ToString() +
                                         ", wrong " + s_wrong[t].ToString());
            ulong switches = ExoSharp.LibOS.ExOS.Threads.Switches;
            System.Console.WriteLine("ehthreads: all " + Threads.ToString() + " threads finished after " + switches.ToString() + " switches");
            return switches >= 3 ? 0 : 1;
        }
    }
}
