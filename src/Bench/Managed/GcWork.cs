// The collector benchmarks' work, one file that both sides compile unchanged: ExOS's bench
// program (src/Apps/Bench/Benchmarks.cs) and the stock NativeAOT build for linux-x64 run on the
// Linux peer (src/Bench/Managed/Dotnet). Standard C# only. binary-trees is the Computer Language
// Benchmarks Game's algorithm (a long-lived tree, then many short-lived trees of each depth);
// AllocationLoop makes short-lived small objects. Each measures, with the caller's clock, the
// longest gap between two consecutive iterations: the program's own view of a collection pause.
namespace ExoSharp.Bench.Managed
{
    public abstract class BenchClock
    {
        /// <summary>Nanoseconds, or guest instructions under -icount shift=0 (both sides' unit).</summary>
        public abstract long Now();
    }

    public static class GcWork
    {
        private sealed class TreeNode
        {
            public TreeNode Left, Right;
        }

        private static TreeNode Bottom(int depth)
        {
            var node = new TreeNode();
            if (depth > 0)
            {
                node.Left = Bottom(depth - 1);
                node.Right = Bottom(depth - 1);
            }
            return node;
        }

        private static int Check(TreeNode node) => node.Left == null ? 1 : 1 + Check(node.Left) + Check(node.Right);

        /// <summary>binary-trees with maxDepth; the sum of every check (a fixed function of
        /// maxDepth); maxPause: the longest gap between two consecutive tree iterations.</summary>
        public static long BinaryTrees(int maxDepth, BenchClock clock, out long maxPause)
        {
            const int MinDepth = 4;
            long total = Check(Bottom(maxDepth + 1));              // the stretch tree
            TreeNode longLived = Bottom(maxDepth);
            maxPause = 0;
            long last = clock.Now();
            for (int depth = MinDepth; depth <= maxDepth; depth += 2)
            {
                int iterations = 1 << (maxDepth - depth + MinDepth);
                long check = 0;
                for (int i = 0; i < iterations; i++)
                {
                    check += Check(Bottom(depth));
                    long now = clock.Now();
                    if (now - last > maxPause) maxPause = now - last;
                    last = now;
                }
                total += check;
            }
            return total + Check(longLived);
        }

        private sealed class Small
        {
            public long A, B;
            public Small Next;
        }

        /// <summary>count short-lived 40-byte objects, 1,000 alive at a time; returns a checksum;
        /// maxPause as BinaryTrees measures it, per 1,000 objects.</summary>
        public static long AllocationLoop(int count, BenchClock clock, out long maxPause)
        {
            var ring = new Small[1000];
            long sum = 0;
            maxPause = 0;
            long last = clock.Now();
            for (int i = 0; i < count; i++)
            {
                var s = new Small { A = i, B = i ^ 0x55 };
                s.Next = s;                                  // a reference to trace, no chain to the old ones
                ring[i % 1000] = s;
                sum += s.A + (s.Next == s ? 1 : 0);
                if (i % 1000 == 999)
                {
                    long now = clock.Now();
                    if (now - last > maxPause) maxPause = now - last;
                    last = now;
                }
            }
            return sum;
        }
    }
}
