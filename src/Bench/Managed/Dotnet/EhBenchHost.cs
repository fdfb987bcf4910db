// The stock-.NET side's shim for src/Bench/Managed/EhThrowCatch.cs: times 201 runs of one
// throw caught 10 frames up with Stopwatch (nanoseconds; with QEMU's -icount shift=0 one
// nanosecond is one guest instruction, as the ExoSharp side's time-stamp counter) and prints
// "BENCH eh_throw_catch_10 median=<n> min=<n> max=<n>" like src/Apps/Bench/Benchmarks.cs,
// then "BENCH done". Run by tools/bench.sh as the child of src/Bench/Linux/exec-init.c.
using System;
using System.Diagnostics;

namespace ExoSharp.Bench.Managed
{
    public static class EhBenchHost
    {
        private const int Runs = 201;

        private static long Now() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

        public static int Main(string[] args)
        {
            long[] samples = new long[Runs];
            long overhead = long.MaxValue;
            for (int i = 0; i < Runs; i++) { long t = Now(); overhead = Math.Min(overhead, Now() - t); }
            int carried = 0;
            EhThrowCatch.Once(EhThrowCatch.Depth);      // the first throw pays for one-time set-up
            for (int i = 0; i < Runs; i++)
            {
                long t0 = Now();
                carried += EhThrowCatch.Once(EhThrowCatch.Depth);
                samples[i] = Math.Max(0, Now() - t0 - overhead);
            }
            Array.Sort(samples);
            if (carried != 42 * Runs) Console.WriteLine("ehbench: caught the wrong value");
            Console.WriteLine("BENCH eh_throw_catch_10 median=" + samples[Runs / 2] + " min=" + samples[0] + " max=" + samples[Runs - 1]);
            Console.WriteLine("BENCH done");
            return 0;
        }
    }
}
