// The fsx-style exerciser in make test: 100,000 seeded operations on the host build, a file
// growing past 64 MiB. FSX_SEED replays a logged run; FSX_OPS changes the count (make soak).
using Xunit;

namespace ExoSharp.Tests.Fs
{
    public class FsxTests
    {
        [Fact]
        public void HundredThousandRandomOperationsMatchTheShadow()
        {
            int seed = int.TryParse(Environment.GetEnvironmentVariable("FSX_SEED"), out int s) ? s : 20261204;
            int ops = int.TryParse(Environment.GetEnvironmentVariable("FSX_OPS"), out int n) ? n : 100_000;
            var fsx = new Fsx(seed, 40_000);
            fsx.Run(ops);
            if (Environment.GetEnvironmentVariable("FSX_TIMES") != null)
                File.WriteAllLines("/tmp/fsx-times.txt", fsx.Times.Select((t, i) => $"{i} {t / 1e6:F0} ms"));
            Assert.True(fsx.MaxBigSize > 64L << 20, $"the big file reached only {fsx.MaxBigSize} bytes");
            Assert.True(fsx.Remounts >= 5, $"{fsx.Remounts} remounts");
        }
    }
}
