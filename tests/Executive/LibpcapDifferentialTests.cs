// Differential tests against libpcap itself: each expression is compiled by the machine's
// libpcap (pinned version) for each capture's link type; its -dd text is loaded by ProgramText,
// must pass the verifier, and both engines must give bpf_filter's exact verdict on every packet
// of real captures from Debian packages and of a mutated synthetic capture.
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Verification;
using ExoSharp.Tools.FilterVerdicts;
using Xunit;
using ExoSharp.Abi;

namespace ExoSharp.Tests.Executive
{
    public class LibpcapDifferentialTests
    {
        public static readonly string[] Expressions =
        {
            "ip", "ip6", "arp", "tcp", "udp", "icmp", "icmp6",
            "udp port 53", "tcp port 80", "tcp port 8080",
            "host 192.168.43.9", "src host 145.254.160.237", "dst host 95.211.92.14", "ip host 8.8.8.8 and icmp",
            "net 192.168.0.0/16", "dst net 95.211.92.0/24", "src net 10.1.0.0/16",
            "vlan", "vlan and ip", "vlan 100",
            "tcp[13] & 2 != 0", "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "tcp and (tcp[tcpflags] & tcp-push != 0)",
            "len > 100", "len <= 64", "greater 200", "less 100",
            "ether multicast", "ether broadcast", "ether src 00:00:01:00:00:00", "ip multicast",
            "portrange 1000-2000", "udp dst portrange 50000-65535",
            "ip proto 17", "icmp[icmptype] == icmp-echo", "ip[8] < 64", "ip[2:2] > 500", "ip[0] & 0xf > 5",
            "udp and ip[6:2] & 0x1fff = 0", "not ip", "ip and not tcp", "ip6 and tcp", "(tcp or udp) and port 53",
            "tcp dst port 80 and ip src 145.254.160.237", "pppoes and udp port 53", "ether proto 0x8864",
            "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420",
            "ip[2:2] / 4 > 10", "ip[2:2] % 7 = 3", "ip[8] * 3 > 100", "ip[2:2] - 20 > 50", "ip[2:2] / ip[8] > 3",
            "ip[8] << 2 > 100", "ip[8] >> 1 = 32", "ip[2:2] ^ 0xffff > 0 and ether[0] & 1 = 0", "ip[2:2] + ip[8] > 300",
            "ip[2:2] / (ip[9] - 6) > 5", "udp[8:2] % (ip[8] & 3) = 1", "tcp[12] >> (tcp[0] & 63) = 0", "ip[0] << (ip[1] & 63) > 1000",
            "ip6 protochain 6",
        };

        public static IEnumerable<object[]> Cases => Expressions.Select(e => new object[] { e });

        [Theory]
        [MemberData(nameof(Cases))]
        public unsafe void BothEnginesGiveLibpcapsVerdicts(string expression)
        {
            var captures = Libpcap.Captures.Append(SyntheticCapture.Path).ToArray();
            int compared = 0, refused = 0;
            foreach (string capture in captures)
            {
                var (text, verdicts, _) = Libpcap.Compile(capture, expression);
                if (text == null)
                {
                    refused++;
                    continue;
                }
                Instruction[] program = ProgramText.Parse(System.Text.Encoding.ASCII.GetBytes(text), out TextParseResult parsed);
                Assert.True(parsed.IsValid, parsed.Describe());
                VerifierResult verdict = Verifier.Verify(program, VerifierOptions.ClassicFilter);
                if (expression.Contains("protochain"))
                {
                    // libpcap's protochain loops with a backward jump: refused, by design.
                    Assert.False(verdict.IsValid);
                    Assert.Equal(ProgramRule.JumpOutOfRange, verdict.Rule);
                    refused++;
                    continue;
                }
                Assert.True(verdict.IsValid, expression + " on " + Path.GetFileName(capture) + ": " + verdict.Describe());
                PcapFile file = Libpcap.ReadCapture(capture);
                Assert.Equal(verdicts.Length, file.Records.Count);
                using ExecutableCode native = Both.Compile(program);
                for (int i = 0; i < verdicts.Length; i++)
                {
                    PcapRecord record = file.Records[i];
                    uint ours = Both.Run(program, native, record.Data, record.WireLength);
                    if (ours != verdicts[i])
                        Assert.Fail(expression + " on " + Path.GetFileName(capture) + " packet " + (i + 1) + ": libpcap " + verdicts[i] + ", ours " + ours);
                    compared++;
                }
            }
            Assert.True(compared >= 100 || expression.Contains("protochain"), "only " + compared + " packets compared");
        }

        [Fact]
        public void AtLeastThirtyExpressionsAndSomeMatch()
        {
            Assert.True(Expressions.Length >= 30);
            string capture = Libpcap.Captures.First(c => c.EndsWith("http.pcap") && !c.Contains("nb6"));
            var (_, verdicts, _) = Libpcap.Compile(capture, "tcp port 80");
            Assert.Contains(verdicts, v => v != 0);
        }

        [Theory]
        [InlineData("this is not a filter")]
        [InlineData("port 99999")]
        [InlineData("ip[0] / 0 = 1")]
        [InlineData("ip[0] << 40 = 1")]
        [InlineData("tcp[")]
        public void RefusedExpressionsCrashNothing(string expression)
        {
            foreach (string capture in Libpcap.Captures)
            {
                var (text, _, error) = Libpcap.Compile(capture, expression);
                Assert.Null(text);
                Assert.False(string.IsNullOrEmpty(error));
                Instruction[] program = ProgramText.Parse(System.Text.Encoding.ASCII.GetBytes(error), out TextParseResult parsed);
                Assert.Null(program);
                Assert.False(parsed.IsValid);
            }
        }

        [Theory]
        [InlineData("tcp port 80")]
        [InlineData("ip and udp dst port 53")]
        [InlineData("vlan and ip6")]
        public void TcpdumpDdAndDddTextLoadsUnchanged(string expression)
        {
            Libpcap.EnsurePackages();
            var dd = Libpcap.Execute("tcpdump", "-dd", "-y", "EN10MB", expression);
            var ddd = Libpcap.Execute("tcpdump", "-ddd", "-y", "EN10MB", expression);
            Assert.Equal(0, dd.Status);
            Assert.Equal(0, ddd.Status);
            Instruction[] fromDd = ProgramText.Parse(System.Text.Encoding.ASCII.GetBytes(dd.Output), out TextParseResult r1);
            Instruction[] fromDdd = ProgramText.Parse(System.Text.Encoding.ASCII.GetBytes(ddd.Output), out TextParseResult r2);
            Assert.True(r1.IsValid && r2.IsValid);
            Assert.Equal(fromDd, fromDdd);
            Assert.True(Verifier.Verify(fromDd, VerifierOptions.ClassicFilter).IsValid);
            string capture = Libpcap.Captures.First(c => c.EndsWith("test_ethernet.pcap"));
            Assert.Equal(Libpcap.Run(capture, fromDd), Libpcap.Compile(capture, expression).Verdicts);
        }
    }
}
