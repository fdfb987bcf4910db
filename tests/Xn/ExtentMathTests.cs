// ExtentMath: sorting, overlap, coalescing and typed subtraction of extent lists, including
// extents split differently before and after a change (a file system that merges extents).
using Xunit;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class ExtentMathTests
    {
        private static Extent E(uint b, uint n, uint t = 0) => new Extent(b, n, t);

        private static Extent[] Normal(params Extent[] extents)
        {
            var copy = extents.ToArray();
            ExtentMath.Sort(copy, copy.Length);
            Assert.False(ExtentMath.HasOverlap(copy, copy.Length));
            int n = ExtentMath.Coalesce(copy, copy.Length);
            return copy.Take(n).ToArray();
        }

        private static Extent[] Minus(Extent[] a, Extent[] b)
        {
            var output = new Extent[a.Length + b.Length + 1];
            int n = ExtentMath.Subtract(a, a.Length, b, b.Length, output);
            return output.Take(n).ToArray();
        }

        [Fact]
        public void SortOrdersByBlock()
        {
            var random = new Random(5);
            var extents = Enumerable.Range(0, 300).Select(i => E((uint)random.Next(1000000), 1)).ToArray();
            ExtentMath.Sort(extents, extents.Length);
            for (int i = 1; i < extents.Length; i++) Assert.True(extents[i - 1].Block <= extents[i].Block);
        }

        [Fact]
        public void OverlapIsFound()
        {
            var extents = new[] { E(10, 5), E(14, 1) };
            Assert.True(ExtentMath.HasOverlap(extents, 2));
            extents = new[] { E(10, 4), E(14, 1) };
            Assert.False(ExtentMath.HasOverlap(extents, 2));
        }

        [Fact]
        public void CoalesceJoinsNeighboursOfOneType()
        {
            Assert.Equal(new[] { E(10, 3) }, Normal(E(12, 1), E(10, 2)));
            Assert.Equal(2, Normal(E(10, 2, 0), E(12, 1, 1)).Length);
        }

        [Fact]
        public void GrowingAnExtentAddsOnlyTheNewBlocks()
        {
            Extent[] before = Normal(E(10, 2)), after = Normal(E(10, 3));
            Assert.Equal(new[] { E(12, 1) }, Minus(after, before));
            Assert.Empty(Minus(before, after));
        }

        [Fact]
        public void SplittingAnExtentRemovesTheMiddle()
        {
            Extent[] before = Normal(E(10, 10)), after = Normal(E(10, 3), E(14, 6));
            Assert.Equal(new[] { E(13, 1) }, Minus(before, after));
            Assert.Empty(Minus(after, before));
        }

        [Fact]
        public void ATypeChangeIsARemovalAndAnAddition()
        {
            Extent[] before = Normal(E(10, 1, 1)), after = Normal(E(10, 1, 2));
            Assert.Equal(new[] { E(10, 1, 2) }, Minus(after, before));
            Assert.Equal(new[] { E(10, 1, 1) }, Minus(before, after));
        }

        [Fact]
        public void SubtractMatchesABlockByBlockModel()
        {
            var random = new Random(11);
            for (int round = 0; round < 200; round++)
            {
                Extent[] a = RandomSet(random), b = RandomSet(random);
                var expected = Expand(a).Where(x => !Expand(b).Contains(x)).ToHashSet();
                Assert.Equal(expected, Expand(Minus(a, b)).ToHashSet());
            }
        }

        private static Extent[] RandomSet(Random random)
        {
            var blocks = new SortedSet<uint>();
            for (int i = random.Next(30); i > 0; i--) blocks.Add((uint)random.Next(60));
            return Normal(blocks.Select(x => E(x, 1, (uint)(x % 3 == 0 ? 1 : 0))).ToArray());
        }

        private static IEnumerable<(uint, uint)> Expand(Extent[] extents) =>
            extents.SelectMany(e => Enumerable.Range(0, (int)e.Count).Select(i => (e.Block + (uint)i, e.Type)));
    }
}
