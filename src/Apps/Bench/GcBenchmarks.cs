// The `gcbench` program: ExoSharp's side of the collector benchmarks (src/Bench/Managed/GcWork.cs,
// the same source the stock .NET side runs on the Linux peer): binary-trees at depths 16 and 18
// and an allocation loop, each timed with the time-stamp counter (guest instructions under
// -icount shift=0), with the longest pause the program itself saw and the peak memory: the
// frames its heap held at most, plus its image and stack. Prints "BENCH <name> value=<n>
// pause=<n> peak_kib=<n> check=<n>" and "BENCH done".
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Bench.Managed;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Bench
{
    internal static class GcBenchmarks
    {
        private sealed class TscClock : BenchClock
        {
            public override long Now() => (long)Benchmarks.Tsc();
        }

        public static int Main(string arguments)
        {
            var clock = new TscClock();
            ulong fixedKib = (Startup.ImageEnd - Startup.ImageStart + Abi.UserLayout.StackSize) / 1024;
            Run("gc_alloc_rate", clock, fixedKib, 0);
            Run("gc_binary_trees_16", clock, fixedKib, 16);
            if (arguments != "quick") Run("gc_binary_trees_18", clock, fixedKib, 18);
            System.Console.WriteLine("BENCH done");
            return 0;
        }

        /// <summary>depth 0: the allocation loop (1,000,000 objects); else binary-trees at that depth.</summary>
        private static void Run(string name, BenchClock clock, ulong fixedKib, int depth)
        {
            System.GC.Collect();
            long pause;
            long t0 = clock.Now();
            long check = depth == 0 ? GcWork.AllocationLoop(1_000_000, clock, out pause) : GcWork.BinaryTrees(depth, clock, out pause);
            long elapsed = clock.Now() - t0;
            System.Console.WriteLine("BENCH " + name + " value=" + elapsed.ToString() + " pause=" + pause.ToString() +
                                     " peak_kib=" + (Memory.HeapPeak / 1024 + fixedKib).ToString() + " check=" + check.ToString());
        }
    }
}
