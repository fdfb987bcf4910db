// The merged demultiplexer: libpcap programs reduce to DPF atoms as expected; a set holding one
// filter classifies exactly as that filter does (both engines, every capture packet); a set of
// many filters picks exactly what running every filter in install order picks, at a fraction of
// the instructions; the overlap rule refuses claims on another owner's traffic.
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Demux;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Tools.FilterVerdicts;
using Xunit;
using ExoSharp.Abi;

namespace ExoSharp.Tests.Executive
{
    public unsafe class DemuxTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public DemuxTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        private static List<PcapRecord> Packets()
        {
            var packets = Libpcap.ReadCapture(SyntheticCapture.Path).Records;
            for (ushort port = 50; port < 60; port++)
            {
                packets.Add(new PcapRecord(Udp(port), 64));
                packets.Add(new PcapRecord(Udp(port).Take(37).ToArray(), 64));
            }
            return packets;
        }

        /// <summary>An Ethernet/IPv4/UDP frame to 10.0.2.15:port, IP header with 4 bytes of options.</summary>
        private static byte[] Udp(ushort port, byte protocol = 17)
        {
            var frame = new byte[64];
            frame[12] = 0x08; frame[13] = 0x00;
            frame[14] = 0x46; frame[22] = 64; frame[23] = protocol;
            frame[30] = 10; frame[31] = 0; frame[32] = 2; frame[33] = 15;
            frame[14 + 24 + 2] = (byte)(port >> 8); frame[14 + 24 + 3] = (byte)port;
            return frame;
        }

        [Fact]
        public void LibpcapConjunctionBecomesAtoms()
        {
            FilterShape shape = AtomExtractor.Extract(Libpcap.Dd("ip and udp dst port 53"));
            Assert.True(shape.Exact);
            Conjunction only = Assert.Single(shape.Conjunctions);
            Assert.Equal(262144u, only.Result);
            // ethertype, fragment offset (masked), protocol, then the port past the IP header.
            Assert.Equal(4, only.Atoms.Length);
            Assert.Contains(only.Atoms, a => !a.Field.AfterHeader && a.Field.Offset == 12 && a.Value == 0x800);
            Assert.Contains(only.Atoms, a => !a.Field.AfterHeader && a.Field.Offset == 20 && a.Mask == 0x1fff && a.Value == 0);
            Assert.Contains(only.Atoms, a => !a.Field.AfterHeader && a.Field.Offset == 23 && a.Value == 17);
            Assert.Contains(only.Atoms, a => a.Field.AfterHeader && a.Field.HeaderOffset == 14 && a.Field.Offset == 16 && a.Value == 53);
        }

        [Theory]
        [InlineData("udp port 53", true)]
        [InlineData("ip or ip6", true)]
        [InlineData("tcp[13] & 2 != 0", true)]
        [InlineData("ether broadcast", true)]
        [InlineData("len > 100", false)]
        [InlineData("not ip", false)]
        [InlineData("ip[2:2] > 500", false)]
        public void ShapesAreExactOnlyWhenAtomsSayEverything(string expression, bool exact)
        {
            Assert.Equal(exact, AtomExtractor.Extract(Libpcap.Dd(expression)).Exact);
        }

        [Fact]
        public void EachExpressionAloneClassifiesAsItsProgram()
        {
            List<PcapRecord> packets = Packets();
            int merged = 0;
            foreach (string expression in LibpcapDifferentialTests.Expressions.Where(e => !e.Contains("protochain")))
            {
                Instruction[] program = Libpcap.TryDd(expression);
                if (program == null) continue;
                var set = new FilterSet();
                InstallResult installed = set.Install(7, program);
                Assert.True(installed.Installed, expression + ": " + installed.Status);
                if (set.MergedCount == 1) merged++;
                using var native = new NativeRunner();
                foreach (PcapRecord packet in packets)
                {
                    fixed (byte* p = packet.Data)
                    {
                        uint expected = Interpreter.Run(program, p, (uint)packet.Data.Length, packet.WireLength, null);
                        foreach (DemuxResult result in new[] { set.Classify(p, (uint)packet.Data.Length, packet.WireLength), set.Classify(native, p, (uint)packet.Data.Length, packet.WireLength) })
                        {
                            Assert.True(expected != 0 == result.Matched, expression + ": expected " + expected);
                            if (result.Matched)
                            {
                                Assert.Equal(expected, result.Value);
                                Assert.Equal(7u, result.Owner);
                                Assert.Equal(installed.FilterId, result.FilterId);
                            }
                        }
                    }
                }
            }
            Assert.True(merged >= 20, "only " + merged + " expressions merged");
        }

        private static List<(uint Owner, Instruction[] Program)> ManyFilters(int count)
        {
            var filters = new List<(uint, Instruction[])>();
            for (int i = 0; i < count; i++)
            {
                string expression = (i % 3) switch
                {
                    0 => "ip and udp dst port " + (50 + i),
                    1 => "ip and tcp dst port " + (50 + i),
                    _ => "ip6 and udp dst port " + (50 + i),
                };
                filters.Add(((uint)(100 + i), Libpcap.Dd(expression)));
            }
            return filters;
        }

        [Fact]
        public void ManyFiltersPickWhatRunningEachInTurnPicks()
        {
            var filters = ManyFilters(60);
            // Same-owner overlaps and filters that cannot merge, to exercise ranks and the alone list.
            filters.Add((100, Libpcap.Dd("ip and udp dst port 50 and len > 60")));
            filters.Add((100, Libpcap.Dd("ip and udp dst port 50 and ip[8] = 64")));
            filters.Add((101, Libpcap.Dd("ip and tcp dst port 51 and len > 60")));
            filters.Add((160, Libpcap.Dd("arp")));
            var set = new FilterSet();
            var ids = new List<uint>();
            foreach (var (owner, program) in filters)
            {
                InstallResult result = set.Install(owner, program);
                Assert.True(result.Installed, "owner " + owner + ": " + result.Status + " with " + result.ConflictingFilterId);
                ids.Add(result.FilterId);
            }
            Assert.True(set.MergedCount >= 60);
            Assert.True(set.Alone.Length >= 1);
            using var native = new NativeRunner();
            int matched = 0;
            foreach (PcapRecord packet in Packets())
            {
                fixed (byte* p = packet.Data)
                {
                    uint length = (uint)packet.Data.Length;
                    int expected = -1;
                    for (int i = 0; i < filters.Count && expected < 0; i++)
                        if (Interpreter.Run(filters[i].Program, p, length, packet.WireLength, null) != 0) expected = i;
                    DemuxResult interpreted = set.Classify(p, length, packet.WireLength);
                    DemuxResult compiled = set.Classify(native, p, length, packet.WireLength);
                    Assert.Equal(interpreted, compiled);
                    Assert.Equal(expected >= 0, interpreted.Matched);
                    if (expected >= 0)
                    {
                        matched++;
                        Assert.Equal(ids[expected], interpreted.FilterId);
                        Assert.Equal(filters[expected].Owner, interpreted.Owner);
                    }
                }
            }
            Assert.True(matched >= 20, "only " + matched + " packets matched");
        }

        [Fact]
        public void HundredFiltersCostFarLessThanRunningEach()
        {
            var one = new FilterSet();
            var hundred = new FilterSet();
            var filters = ManyFilters(100);
            Assert.True(one.Install(filters[0].Owner, filters[0].Program).Installed);
            foreach (var (owner, program) in filters) Assert.True(hundred.Install(owner, program).Installed);
            Assert.Equal(100, hundred.MergedCount);
            Assert.True(Verifier.Verify(hundred.MergedProgram, VerifierOptions.PacketFilter).IsValid);
            int stepsOne = 0, stepsHundred = 0, stepsEach = 0;
            for (ushort port = 40; port < 160; port++)
            {
                byte[] packet = Udp(port, port % 2 == 0 ? (byte)17 : (byte)6);
                fixed (byte* p = packet)
                {
                    Interpreter.Run(one.MergedProgram, p, 64, 64, null, out int s1);
                    Interpreter.Run(hundred.MergedProgram, p, 64, 64, null, out int s100);
                    stepsOne += s1;
                    stepsHundred += s100;
                    foreach (var (_, program) in filters)
                    {
                        Interpreter.Run(program, p, 64, 64, null, out int each);
                        stepsEach += each;
                    }
                }
            }
            _output.WriteLine("instructions over 120 packets: 1 filter " + stepsOne + ", 100 merged " + stepsHundred +
                ", 100 run in turn " + stepsEach + "; merged program " + hundred.MergedProgram.Length + " instructions");
            Assert.True(stepsHundred <= 3 * stepsOne, "100 filters: " + stepsHundred + " steps, 1 filter: " + stepsOne);
            Assert.True(stepsHundred * 10 <= stepsEach, "merged " + stepsHundred + " vs each in turn " + stepsEach);
        }

        [Fact]
        public void OverlapRuleProtectsOtherOwnersTraffic()
        {
            var set = new FilterSet();
            InstallResult dns = set.Install(1, Libpcap.Dd("ip and udp dst port 53"));
            Assert.True(dns.Installed);
            // Wider claims that include owner 1's packets are refused and name the filter in the way.
            foreach (string wider in new[] { "udp port 53", "udp", "ip", "len > 100", "ip[2:2] > 500", "not arp", "udp dst port 53 or tcp" })
            {
                InstallResult refused = set.Install(2, Libpcap.Dd(wider));
                Assert.Equal(InstallStatus.Overlap, refused.Status);
                Assert.Equal(dns.FilterId, refused.ConflictingFilterId);
            }
            // Provably disjoint claims are fine: another port, another protocol, IPv6, ARP.
            foreach (string disjoint in new[] { "ip and udp dst port 54", "ip and tcp dst port 53", "ip6 and tcp", "arp", "ip and icmp" })
            {
                InstallResult result = set.Install(2, Libpcap.Dd(disjoint));
                Assert.True(result.Installed, disjoint + ": " + result.Status);
            }
            // The same owner may overlap itself; the earliest of its filters wins.
            InstallResult own = set.Install(1, Libpcap.Dd("ip and udp dst port 53 and ip[8] = 64"));
            Assert.True(own.Installed);
            byte[] packet = Udp(53);
            fixed (byte* p = packet)
            {
                DemuxResult result = set.Classify(p, 64, 64);
                Assert.True(result.Matched);
                Assert.Equal(dns.FilterId, result.FilterId);
                Assert.Equal(1u, result.Owner);
            }
            Assert.Equal(InstallStatus.NotOwner, set.Remove(2, dns.FilterId));
            Assert.Equal(InstallStatus.Installed, set.Remove(1, dns.FilterId));
            Assert.Equal(InstallStatus.NotFound, set.Remove(1, dns.FilterId));
            fixed (byte* p = packet) Assert.Equal(own.FilterId, set.Classify(p, 64, 64).FilterId);
        }

        [Fact]
        public void RejectedProgramsAreNotInstalled()
        {
            var set = new FilterSet();
            InstallResult result = set.Install(1, new[] { Instruction.Statement(Opcode.Ld | Opcode.Mem, 3), Instruction.Statement(Opcode.Ret | Opcode.RetA, 0) });
            Assert.Equal(InstallStatus.Rejected, result.Status);
            Assert.Equal(ProgramRule.UninitializedScratchRead, result.Verification.Rule);
            Assert.Equal(0, set.Count);
        }
    }
}
