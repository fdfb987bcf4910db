// HTTP dates against .NET's own calendar: ExOS's CivilTime both ways (ToUnixSeconds was added for
// If-Modified-Since) and HttpDate's IMF-fixdate, over leap days, century years and past 2038.
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Tests.Cheetah
{
    public class DateTests
    {
        private static IEnumerable<ulong> Samples()
        {
            yield return 0;
            yield return 951_782_400;          // 2000-02-29
            yield return 4_107_542_400;        // 2100-03-01
            yield return 2_147_483_648;        // 2038-01-19 03:14:08
            var random = new Random(7);
            for (int i = 0; i < 2000; i++) yield return (ulong)random.NextInt64(0, 8_000_000_000);
        }

        [Fact]
        public void CivilTimeRoundTripsAndAgreesWithDotNet()
        {
            foreach (ulong s in Samples())
            {
                CivilTime t = CivilTime.FromUnixSeconds(s);
                DateTime d = DateTime.UnixEpoch.AddSeconds(s);
                Assert.Equal((d.Year, d.Month, d.Day, d.Hour, d.Minute, d.Second), (t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second));
                Assert.Equal(s, t.ToUnixSeconds());
            }
        }

        [Fact]
        public unsafe void ImfFixdateAgreesWithDotNetAndParsesBack()
        {
            byte* b = stackalloc byte[HttpDate.Length];
            foreach (ulong s in Samples())
            {
                var w = new AsciiWriter(b, HttpDate.Length);
                HttpDate.Format(s, ref w);
                Assert.False(w.Overflow);
                string text = new string((sbyte*)b, 0, w.Length);
                Assert.Equal(DateTime.UnixEpoch.AddSeconds(s).ToString("R"), text);
                Assert.True(HttpDate.Parse(b, w.Length, out ulong back));
                Assert.Equal(s, back);
            }
        }
    }
}
