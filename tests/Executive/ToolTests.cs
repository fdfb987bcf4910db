// tools/filter-verdicts as a person uses it: verdicts equal libpcap's for both engines on real
// captures; every kind of bad input gives a message on stderr and exit status 2.
using Xunit;

namespace ExoSharp.Tests.Executive
{
    public class ToolTests
    {
        private static string Root()
        {
            string directory = AppContext.BaseDirectory;
            while (directory != null && !File.Exists(Path.Combine(directory, "tools", "filter-verdicts"))) directory = Path.GetDirectoryName(directory);
            return directory ?? throw new InvalidOperationException("tools/filter-verdicts not found above " + AppContext.BaseDirectory);
        }

        private static (int Status, string Output, string Error) Tool(params string[] arguments) =>
            Libpcap.Execute(Path.Combine(Root(), "tools", "filter-verdicts"), arguments);

        private static string ProgramFile(string text)
        {
            string path = Path.Combine(Libpcap.Scratch, "tool-" + Guid.NewGuid().ToString("N") + ".dd");
            File.WriteAllText(path, text);
            return path;
        }

        [Theory]
        [InlineData("tcp port 80")]
        [InlineData("udp and len > 100")]
        [InlineData("icmp or arp")]
        public void PrintsLibpcapsVerdicts(string expression)
        {
            foreach (string capture in Libpcap.Captures.Where(c => c.EndsWith("http.pcap") || c.EndsWith("dns_icmp.pcap")))
            {
                var (text, verdicts, _) = Libpcap.Compile(capture, expression);
                string program = ProgramFile(text);
                string expected = string.Concat(verdicts.Select(v => v + "\n"));
                foreach (string engine in new[] { "interp", "native" })
                {
                    var result = Tool(engine, program, capture);
                    Assert.True(result.Status == 0, result.Error);
                    Assert.Equal(expected, result.Output);
                    Assert.Equal("", result.Error);
                }
                File.Delete(program);
            }
        }

        [Fact]
        public void ErrorsGoToStderrWithStatusTwo()
        {
            string capture = Libpcap.Captures.First(c => c.EndsWith("http.pcap"));
            string good = ProgramFile("{ 0x6, 0, 0, 0x00000001 },\n");
            string unverifiable = ProgramFile("{ 0x60, 0, 0, 0 },\n{ 0x16, 0, 0, 0 },\n");
            string garbage = ProgramFile("{ 0x6, zero },\n");
            string notCapture = ProgramFile("not a capture at all");
            var cases = new[]
            {
                (new[] { "jit", good, capture }, "usage"),
                (new[] { "interp", good }, "usage"),
                (new[] { "interp", "/nonexistent/program", capture }, "nonexistent"),
                (new[] { "native", unverifiable, capture }, "instruction 0: scratch memory word read before it is written"),
                (new[] { "interp", garbage, capture }, "line 1"),
                (new[] { "native", good, notCapture }, "not a pcap file"),
            };
            foreach (var (arguments, message) in cases)
            {
                var result = Tool(arguments);
                Assert.Equal(2, result.Status);
                Assert.Equal("", result.Output);
                Assert.Contains(message, result.Error);
            }
        }
    }
}
