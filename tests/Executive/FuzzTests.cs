// Verifier fuzzing with fixed seeds and bounded counts: random programs and mutations of
// libpcap's programs never crash the verifier or the text loader; every accepted program runs in
// both engines with equal results on packets, context and output vectors that end at a guard
// page (a read or write past them would fault the test host), and never runs more instructions
// than it has. Accepted classic programs also agree with libpcap's bpf_filter.
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Tools.FilterVerdicts;
using Xunit;
using O = ExoSharp.Executive.Bytecode.Opcode;
using ExoSharp.Abi;

namespace ExoSharp.Tests.Executive
{
    public unsafe class FuzzTests
    {
        private static readonly ushort[] Codes = AllCodes();

        private static ushort[] AllCodes()
        {
            var codes = new List<ushort>();
            for (int code = 0; code < 0x100; code++)
            {
                var probe = new[] { Instruction.Jump((ushort)code, 16, 0, 0), Instruction.Statement(O.Ret, 0) };
                VerifierResult result = Verifier.Verify(probe, VerifierOptions.Extended(64, true));
                if (result.Rule != ProgramRule.UnknownOpcode || result.Index != 0) codes.Add((ushort)code);
            }
            return codes.ToArray();
        }

        [Fact]
        public void OpcodeSetIsClassicBpfPlusSevenExtensions()
        {
            // Loads into A: imm, 3 abs, 3 ind, len, mem (9); into X: imm, len, msh, mem (4); st, stx;
            // 9 jumps; 2 returns; tax, txa; ALU: 10 operations x 2 sources + neg (21): 49 classic codes.
            // Extensions: 3 context loads, 2 buffer-length loads, swap, emit.
            Assert.Equal(49 + 7, Codes.Length);
        }

        private static uint RandomK(Random random)
        {
            switch (random.Next(8))
            {
                case 0: return 0;
                case 1: return (uint)random.Next(1, 4);
                case 2: return (uint)random.Next(0, 16);
                case 3: return (uint)random.Next(0, 80);
                case 4: return 0xFFFFFFFF - (uint)random.Next(0, 4);
                case 5: return 0x7FFFFFFF + (uint)random.Next(0, 4);
                case 6: return 32;
                default: return (uint)random.NextInt64(0, 0x100000000);
            }
        }

        private static Instruction[] RandomProgram(Random random)
        {
            int n = random.Next(1, 40);
            var program = new Instruction[n];
            for (int i = 0; i < n; i++)
            {
                ushort code = random.Next(50) == 0 ? (ushort)random.Next(0x10000) : Codes[random.Next(Codes.Length)];
                int room = Math.Max(1, n - i);
                program[i] = new Instruction(code, (byte)random.Next(0, Math.Min(room + 1, 256)), (byte)random.Next(0, Math.Min(room + 1, 256)), RandomK(random));
                if (O.Class(code) == O.Jmp && O.Operation(code) == O.Ja) program[i].K = (uint)random.Next(0, room + 1);
            }
            if (random.Next(4) != 0) program[n - 1] = Instruction.Statement((ushort)(O.Ret | (random.Next(2) == 0 ? O.RetA : O.RetK)), RandomK(random));
            return program;
        }

        private static Instruction[] Mutate(Instruction[] original, Random random)
        {
            var program = (Instruction[])original.Clone();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                int i = random.Next(program.Length);
                switch (random.Next(5))
                {
                    case 0: program[i].Code = Codes[random.Next(Codes.Length)]; break;
                    case 1: program[i].Code ^= (ushort)(1 << random.Next(8)); break;
                    case 2: program[i].K = random.Next(2) == 0 ? RandomK(random) : program[i].K ^ (1u << random.Next(32)); break;
                    case 3: program[i].JumpTrue = (byte)random.Next(0, program.Length - i + 1); break;
                    default: program[i].JumpFalse = (byte)random.Next(0, program.Length - i + 1); break;
                }
            }
            return program;
        }

        /// <summary>Runs an accepted program in both engines on guarded memory and checks the bounds.</summary>
        private static void RunGuarded(Instruction[] program, VerifierResult verdict, byte[][] packets, Random random,
            GuardedBuffer packetPage, GuardedBuffer contextPage, GuardedBuffer emitPage)
        {
            using ExecutableCode native = Both.Compile(program);
            byte[] contextBytes = new byte[16];
            random.NextBytes(contextBytes);
            byte* context = contextPage.Place(contextBytes);
            byte* emits = emitPage.Place(new byte[4 * sizeof(EmitRecord)]);
            foreach (byte[] packet in packets)
            {
                byte* p = packetPage.Place(packet);
                uint wire = (uint)packet.Length + (uint)random.Next(0, 3);
                var first = new RunContext { Context = context, ContextLength = 16, Emits = (EmitRecord*)emits, EmitCapacity = 4 };
                var second = first;
                uint interpreted = Interpreter.Run(program, p, (uint)packet.Length, wire, &first, out int steps);
                uint compiled = native.Run(p, (uint)packet.Length, wire, &second);
                Assert.Equal(interpreted, compiled);
                Assert.Equal(first.EmitCount, second.EmitCount);
                Assert.InRange(steps, 1, Math.Min(program.Length, verdict.MaxSteps));
                Assert.True(first.EmitCount <= (uint)verdict.MaxEmits);
            }
        }

        private static byte[][] RandomPackets(Random random)
        {
            var packets = new byte[8][];
            for (int i = 0; i < packets.Length; i++)
            {
                packets[i] = new byte[i == 0 ? 0 : random.Next(0, 100)];
                random.NextBytes(packets[i]);
            }
            return packets;
        }

        [Fact]
        public void RandomProgramsNeverCrashAndAcceptedOnesAgreeInBounds()
        {
            var random = new Random(1);
            using var packetPage = new GuardedBuffer();
            using var contextPage = new GuardedBuffer();
            using var emitPage = new GuardedBuffer();
            int accepted = 0;
            for (int round = 0; round < 20000; round++)
            {
                Instruction[] program = RandomProgram(random);
                VerifierOptions options = random.Next(2) == 0 ? VerifierOptions.PacketFilter : VerifierOptions.Extended(16, true);
                VerifierResult verdict = Verifier.Verify(program, options);
                if (!verdict.IsValid)
                {
                    Assert.InRange(verdict.Index, -1, program.Length - 1);
                    continue;
                }
                accepted++;
                RunGuarded(program, verdict, RandomPackets(random), random, packetPage, contextPage, emitPage);
            }
            Assert.True(accepted > 500, "only " + accepted + " random programs accepted");
        }

        [Fact]
        public void MutatedLibpcapProgramsNeverCrashAndAgreeWithLibpcap()
        {
            var random = new Random(2);
            string capture = SyntheticCapture.Path;
            PcapFile file = Libpcap.ReadCapture(capture);
            byte[][] packets = file.Records.Where((r, i) => i % 7 == 0 && r.Data.Length <= 4096).Select(r => r.Data).ToArray();
            var originals = new List<Instruction[]>();
            foreach (string expression in LibpcapDifferentialTests.Expressions.Take(40))
            {
                var (text, _, _) = Libpcap.Compile(capture, expression);
                if (text != null) originals.Add(ProgramText.Parse(System.Text.Encoding.ASCII.GetBytes(text), out _));
            }
            using var packetPage = new GuardedBuffer();
            using var contextPage = new GuardedBuffer();
            using var emitPage = new GuardedBuffer();
            int accepted = 0, checkedAgainstLibpcap = 0;
            for (int round = 0; round < 3000; round++)
            {
                Instruction[] program = Mutate(originals[random.Next(originals.Count)], random);
                VerifierResult verdict = Verifier.Verify(program, VerifierOptions.ClassicFilter);
                if (!verdict.IsValid) continue;
                accepted++;
                RunGuarded(program, verdict, packets, random, packetPage, contextPage, emitPage);
                if (round % 20 == 0)
                {
                    uint[] reference = Libpcap.Run(capture, program);
                    using ExecutableCode native = Both.Compile(program);
                    for (int i = 0; i < reference.Length; i++)
                        Assert.Equal(reference[i], Both.Run(program, native, file.Records[i].Data, file.Records[i].WireLength));
                    checkedAgainstLibpcap++;
                }
            }
            Assert.True(accepted > 300, "only " + accepted + " mutants accepted");
            Assert.True(checkedAgainstLibpcap > 20);
        }

        [Fact]
        public void TextLoaderSurvivesGarbage()
        {
            var random = new Random(3);
            byte[] sample = System.Text.Encoding.ASCII.GetBytes("{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0 },\n");
            var output = new Instruction[8];
            for (int round = 0; round < 20000; round++)
            {
                byte[] text = (byte[])sample.Clone();
                if (round % 3 == 0)
                {
                    text = new byte[random.Next(0, 64)];
                    random.NextBytes(text);
                }
                else
                {
                    for (int m = random.Next(1, 4); m > 0; m--) text[random.Next(text.Length)] = (byte)random.Next(256);
                }
                TextParseResult result = ProgramText.Parse(text, output);
                if (result.IsValid) Assert.InRange(result.Count, 1, output.Length);
                else Assert.False(string.IsNullOrEmpty(result.Describe()));
            }
        }
    }
}
