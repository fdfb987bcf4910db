// The eh_throw_catch_10 benchmark's work, one file that both sides compile unchanged: ExOS's
// bench program (src/Apps/Bench/Benchmarks.cs, which times it with the TSC) and a stock
// NativeAOT build for linux-x64 run on the Linux peer (its one-file shim includes this file
// and times it the same way). Standard C# only: no ExoSharp or ExOS API.
// One operation: an exception thrown 10 frames below a catch and caught there.
using System.Runtime.CompilerServices;

namespace ExoSharp.Bench.Managed
{
    public static class EhThrowCatch
    {
        public const int Depth = 10;

        private sealed class BenchException : System.Exception
        {
            public readonly int Value;
            public BenchException(int value) { Value = value; }
        }

        /// <summary>Throws across depth frames and catches; returns the value carried (so the
        /// work cannot be optimised away).</summary>
        public static int Once(int depth)
        {
            try { return Down(depth); }
            catch (BenchException e) { return e.Value; }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Down(int depth)
        {
            if (depth <= 1) throw new BenchException(depth + 41);
            return Down(depth - 1) + 1;
        }
    }
}
