// JOS lab 4 user/primes: a concurrent prime sieve, one environment per prime, each filtering
// the numbers the previous one passes on over IPC. Runs up to the prime 1877, then the
// filters end one after another, back to the first.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static class Primes
    {
        private const ulong Last = 1877;

        private static void PrimeProcess()
        {
            while (true)
            {
                ulong p = Ipc.Receive(out ulong from);
                System.Console.WriteLine("CPU 0: " + p.ToString());
                if (p >= Last) SystemCall.Exit(0);
                long child = Process.Fork();
                if (child < 0)
                {
                    System.Console.WriteLine("primes: fork: " + child.ToString());
                    SystemCall.Exit(1);
                }
                if (child == 0) continue;      // the child is the next filter: receive its first prime
                ulong next = (ulong)child;
                while (true)
                {
                    ulong i = Ipc.Receive(out from);
                    // Unlike JOS, the sieve winds down: when the next filter has ended, so do we.
                    if (i % p != 0 && Ipc.Send(next, i) < 0) SystemCall.Exit(0);
                }
            }
        }

        public static int Main(string arguments)
        {
            long child = Process.Fork();
            if (child < 0) return 1;
            if (child == 0) PrimeProcess();
            ulong first = (ulong)child;
            for (ulong i = 2; ; i++)
                if (Ipc.Send(first, i) < 0) return 0;    // the sieve has finished
        }
    }
}
