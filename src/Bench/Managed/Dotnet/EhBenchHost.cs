// The stock-.NET side's shim for src/Bench/Managed/EhThrowCatch.cs: times 201 runs of one
// throw caught 10 frames up with Stopwatch (nanoseconds; with QEMU's -icount shift=0 one
// nanosecond is one guest instruction, as the ExoSharp side's time-stamp counter) and prints
// "BENCH eh_throw_catch_10 median=<n> min=<n> max=<n>" like src/Apps/Bench/Benchmarks.cs; then
// the collector benchmarks (src/Bench/Managed/GcWork.cs) as src/Apps/Bench/GcBenchmarks.cs
// prints them, peak memory being the process's VmHWM; then "BENCH done". Run by tools/bench.sh as the child of src/Bench/Linux/exec-init.c.
using System;
using System.Diagnostics;

namespace ExoSharp.Bench.Managed
{
    public static class EhBenchHost
    {
        private const int Runs = 201;

        private sealed class StopwatchClock : BenchClock
        {
            public override long Now() => EhBenchHost.Now();
        }

        /// <summary>As GcBenchmarks.Run on ExoSharp; depth 0: the allocation loop.</summary>
        private static void Gc(string name, BenchClock clock, int depth)
        {
            GC.Collect();
            long pause;
            long t0 = clock.Now();
            long check = depth == 0 ? GcWork.AllocationLoop(1_000_000, clock, out pause) : GcWork.BinaryTrees(depth, clock, out pause);
            long elapsed = clock.Now() - t0;
            Console.WriteLine("BENCH " + name + " value=" + elapsed + " pause=" + pause + " peak_kib=" + PeakKib() + " check=" + check);
        }

        /// <summary>VmHWM from /proc/self/status (KiB), or -1.</summary>
        private static long PeakKib()
        {
            try
            {
                foreach (string line in System.IO.File.ReadAllLines("/proc/self/status"))
                    if (line.StartsWith("VmHWM:")) return long.Parse(line.Substring(6).Trim().Split(' ')[0]);
            }
            catch (Exception) { }
            return -1;
        }

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
            var clock = new StopwatchClock();
            Gc("gc_alloc_rate", clock, 0);
            Gc("gc_binary_trees_16", clock, 16);
            Gc("gc_binary_trees_18", clock, 18);
            Console.WriteLine("BENCH done");
            return 0;
        }
    }
}
