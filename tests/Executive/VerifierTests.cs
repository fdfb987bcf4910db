// Each verifier rule: a program that breaks it is rejected with that rule and the index of the
// offending instruction; programs that are fine are accepted with the right bounds (longest path,
// most emits, context bytes). Also the two small programs docs/executive.md uses as examples of the
// extensions: an XN-style UDF that emits the blocks a metadata block owns, and a wakeup predicate.
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Tools.FilterVerdicts;
using Xunit;
using static ExoSharp.Tests.Executive.Both;
using O = ExoSharp.Executive.Bytecode.Opcode;
using ExoSharp.Abi;

namespace ExoSharp.Tests.Executive
{
    public unsafe class VerifierTests
    {
        private static VerifierResult Check(VerifierOptions options, params Instruction[] program) => Verifier.Verify(program, options);

        private static void Rejected(ProgramRule rule, int index, VerifierOptions options, params Instruction[] program)
        {
            VerifierResult result = Verifier.Verify(program, options);
            Assert.False(result.IsValid);
            Assert.Equal(rule, result.Rule);
            Assert.Equal(index, result.Index);
            Assert.Contains(VerifierRuleText.Describe(rule), result.Describe());
        }

        private static readonly VerifierOptions Classic = VerifierOptions.ClassicFilter;
        private static Instruction Ret0 => S(O.Ret, 0);

        [Fact]
        public void EmptyAndTooLong()
        {
            Rejected(ProgramRule.Empty, -1, Classic);
            Rejected(ProgramRule.TooLong, -1, Classic, Enumerable.Repeat(Ret0, Verifier.MaxLength + 1).ToArray());
            Assert.True(Verifier.Verify(Enumerable.Repeat(Ret0, Verifier.MaxLength).ToArray(), Classic).IsValid);
            var shorter = Classic;
            shorter.MaxLength = 2;
            Rejected(ProgramRule.TooLong, -1, shorter, Ret0, Ret0, Ret0);
        }

        [Fact]
        public void UnknownOpcodes()
        {
            Rejected(ProgramRule.UnknownOpcode, 1, Classic, S(O.Ld | O.Imm, 1), S(O.Ret | O.X, 0), Ret0);
            Rejected(ProgramRule.UnknownOpcode, 0, Classic, S(0x8c), Ret0);
            Rejected(ProgramRule.UnknownOpcode, 0, Classic, S(0xFFFF), Ret0);
            Rejected(ProgramRule.UnknownOpcode, 0, Classic, S(O.Ldx | O.H | O.Abs, 0), Ret0);
            Rejected(ProgramRule.UnknownOpcode, 0, Classic, S(O.St | 0x20, 0), Ret0);
        }

        [Fact]
        public void ExtensionsNeedPermission()
        {
            Rejected(ProgramRule.ExtensionNotAllowed, 0, Classic, S(O.Ld | O.W | O.BufLen), Ret0);
            Rejected(ProgramRule.ExtensionNotAllowed, 0, Classic, S(O.Alu | O.Swap, 32), Ret0);
            Rejected(ProgramRule.ExtensionNotAllowed, 0, Classic, S(O.Ld | O.W | O.Ctx, 0), Ret0);
            Rejected(ProgramRule.EmitNotAllowed, 0, VerifierOptions.PacketFilter, S(O.Misc | O.Emit, 0), Ret0);
            Rejected(ProgramRule.BadSwapWidth, 0, VerifierOptions.PacketFilter, S(O.Alu | O.Swap, 8), Ret0);
            Rejected(ProgramRule.ContextOutOfRange, 1, VerifierOptions.Extended(8, false), S(O.Ld | O.W | O.Ctx, 4), S(O.Ld | O.W | O.Ctx, 5), Ret0);
            Rejected(ProgramRule.ContextOutOfRange, 0, VerifierOptions.Extended(8, false), S(O.Ld | O.W | O.Ctx, 0xFFFFFFFE), Ret0);
        }

        [Fact]
        public void JumpsMustLandInside()
        {
            Rejected(ProgramRule.JumpOutOfRange, 0, Classic, S(O.Jmp | O.Ja, 1), Ret0);
            Rejected(ProgramRule.JumpOutOfRange, 0, Classic, S(O.Jmp | O.Ja, 0xFFFFFFF1), Ret0);
            Rejected(ProgramRule.JumpOutOfRange, 1, Classic, S(O.Ld | O.Imm, 0), J(O.Jmp | O.Jeq, 0, 1, 0), Ret0);
            Rejected(ProgramRule.JumpOutOfRange, 1, Classic, S(O.Ld | O.Imm, 0), J(O.Jmp | O.Jgt | O.X, 0, 0, 5), Ret0);
            Assert.True(Check(Classic, J(O.Jmp | O.Jset, 1, 1, 0), Ret0, Ret0).IsValid);
        }

        [Fact]
        public void EveryPathEndsInAReturn()
        {
            Rejected(ProgramRule.FallsOffEnd, 0, Classic, S(O.Ld | O.Imm, 0));
            Rejected(ProgramRule.FallsOffEnd, 1, Classic, Ret0, S(O.Misc | O.Tax));
            Rejected(ProgramRule.JumpOutOfRange, 0, Classic, J(O.Jmp | O.Jeq, 0, 0, 0));
        }

        [Fact]
        public void ConstantDivisionByZeroAndWideShifts()
        {
            Rejected(ProgramRule.DivisionByZero, 0, Classic, S(O.Alu | O.Div | O.K, 0), Ret0);
            Rejected(ProgramRule.DivisionByZero, 0, Classic, S(O.Alu | O.Mod | O.K, 0), Ret0);
            Rejected(ProgramRule.ShiftTooLarge, 0, Classic, S(O.Alu | O.Lsh | O.K, 32), Ret0);
            Rejected(ProgramRule.ShiftTooLarge, 0, Classic, S(O.Alu | O.Rsh | O.K, 0xFFFFFFFF), Ret0);
            // Run-time divisors and shift counts are the engines' business (0 and 0, as libpcap).
            Assert.True(Check(Classic, S(O.Alu | O.Div | O.X), S(O.Alu | O.Lsh | O.X), S(O.Alu | O.Lsh | O.K, 31), Ret0).IsValid);
        }

        [Fact]
        public void ScratchMemoryIndexAndInitialisation()
        {
            Rejected(ProgramRule.ScratchIndexOutOfRange, 0, Classic, S(O.St, 16), Ret0);
            Rejected(ProgramRule.ScratchIndexOutOfRange, 0, Classic, S(O.Ldx | O.Mem, 0xFFFFFFFF), Ret0);
            Rejected(ProgramRule.UninitializedScratchRead, 0, Classic, S(O.Ld | O.Mem, 0), Ret0);
            // Written on one path only: the read after the join is refused.
            Rejected(ProgramRule.UninitializedScratchRead, 4, Classic,
                S(O.Ld | O.W | O.Len), J(O.Jmp | O.Jgt, 100, 0, 1), S(O.St, 2), S(O.Ldx | O.Imm, 0), S(O.Ldx | O.Mem, 2), Ret0);
            // Written on both paths: accepted. Unreachable reads do not matter.
            Assert.True(Check(Classic,
                S(O.Ld | O.W | O.Len), J(O.Jmp | O.Jgt, 100, 0, 2), S(O.St, 2), S(O.Jmp | O.Ja, 1), S(O.Stx, 2),
                S(O.Ldx | O.Mem, 2), Ret0, S(O.Ld | O.Mem, 9), Ret0).IsValid);
        }

        [Fact]
        public void ReportsLongestPathEmitsAndContext()
        {
            VerifierResult result = Check(VerifierOptions.Extended(32, true),
                S(O.Ld | O.W | O.Ctx, 8), J(O.Jmp | O.Jeq, 0, 0, 3), S(O.Misc | O.Emit, 1), S(O.Misc | O.Emit, 2), S(O.Ret, 1),
                S(O.Ld | O.B | O.Ctx, 20), S(O.Misc | O.Emit, 3), S(O.Ret, 2));
            Assert.True(result.IsValid);
            Assert.Equal(5, result.MaxSteps);
            Assert.Equal(2, result.MaxEmits);
            Assert.Equal(21u, result.RequiredContextLength);
        }

        [Fact]
        public void UdfEmitsTheBlocksAnInodeOwns()
        {
            // Metadata block: little-endian block numbers at 0, 4, 8 (0 = none); the UDF emits
            // (block, count 1, type 7) for each, as XN's owns() would.
            var program = new List<Instruction>();
            for (uint slot = 0; slot < 3; slot++)
            {
                program.Add(S(O.Ld | O.W | O.Abs, slot * 4));
                program.Add(S(O.Alu | O.Swap, 32));
                program.Add(J(O.Jmp | O.Jeq, 0, 2, 0));
                program.Add(S(O.Ldx | O.Imm, 1));
                program.Add(S(O.Misc | O.Emit, 7));
            }
            program.Add(S(O.Ret, 1));
            byte[] block = { 10, 0, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0 };
            var records = new EmitRecord[3];
            fixed (EmitRecord* r = records)
            {
                var context = new RunContext { Emits = r, EmitCapacity = 3 };
                VerifierOptions options = VerifierOptions.Extended(0, true);
                Assert.Equal(3, Verifier.Verify(program.ToArray(), options).MaxEmits);
                Assert.Equal(1u, Run(program.ToArray(), block, null, &context, options));
                Assert.Equal(2u, context.EmitCount);
                Assert.Equal(10u, records[0].A);
                Assert.Equal(0x1234u, records[1].A);
                Assert.Equal(7u, records[1].K);
            }
        }

        [Fact]
        public void WakeupPredicateIsASumOfProducts()
        {
            // (word0 > 5 and word1 == 0) or word2 >= 100, over three 32-bit words the kernel copies
            // into the context; no packet at all.
            var program = new[]
            {
                S(O.Ld | O.W | O.Ctx, 0), J(O.Jmp | O.Jgt, 5, 0, 2), S(O.Ld | O.W | O.Ctx, 4), J(O.Jmp | O.Jeq, 0, 2, 0),
                S(O.Ld | O.W | O.Ctx, 8), J(O.Jmp | O.Jge, 100, 0, 1), S(O.Ret, 1), S(O.Ret, 0),
            };
            VerifierOptions options = VerifierOptions.Extended(12, false);
            foreach (var (w0, w1, w2, expected) in new[] { (6u, 0u, 0u, 1u), (6u, 1u, 0u, 0u), (5u, 0u, 0u, 0u), (0u, 9u, 100u, 1u) })
            {
                uint[] words = { w0, w1, w2 };
                fixed (uint* w = words)
                {
                    var context = new RunContext { Context = (byte*)w, ContextLength = 12 };
                    Assert.Equal(expected, Run(program, new byte[0], 0, &context, options));
                }
            }
        }
    }
}
