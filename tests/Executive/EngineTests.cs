// Both engines on hand-written programs covering every opcode and every run-time rule: packet
// loads out of bounds return 0, division by a zero X returns 0, shifts by X >= 32 give 0, the
// extensions (context loads, buffer length, swap, emit) behave as docs/executive.md says.
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using Xunit;
using static ExoSharp.Tests.Executive.Both;
using O = ExoSharp.Executive.Bytecode.Opcode;

namespace ExoSharp.Tests.Executive
{
    public unsafe class EngineTests
    {
        private static readonly byte[] Packet = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x45, 0x00 };

        private static Instruction RetA => S(O.Ret | O.RetA);

        [Fact]
        public void LoadsAreBigEndianAndBoundsChecked()
        {
            Assert.Equal(0x12345678u, Run(new[] { S(O.Ld | O.W | O.Abs, 0), RetA }, Packet));
            Assert.Equal(0x3456u, Run(new[] { S(O.Ld | O.H | O.Abs, 1), RetA }, Packet));
            Assert.Equal(0xdeu, Run(new[] { S(O.Ld | O.B | O.Abs, 6), RetA }, Packet));
            Assert.Equal(0x9abcdef0u, Run(new[] { S(O.Ld | O.W | O.Abs, 4), RetA }, Packet));
            // Out of bounds by one byte, far out, and near 2^32: the program returns 0.
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.W | O.Abs, 7), S(O.Ret, 9) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.H | O.Abs, 9), S(O.Ret, 9) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.B | O.Abs, 10), S(O.Ret, 9) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.W | O.Abs, 0xFFFFFFFE), S(O.Ret, 9) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.B | O.Abs, 0x80000000), S(O.Ret, 9) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.B | O.Abs, 0), S(O.Ret, 9) }, new byte[0]));
        }

        [Fact]
        public void IndirectLoadsAddXAndCheckWithoutOverflow()
        {
            Assert.Equal(0x5678u, Run(new[] { S(O.Ldx | O.Imm, 2), S(O.Ld | O.H | O.Ind, 0), RetA }, Packet));
            Assert.Equal(0xf0u, Run(new[] { S(O.Ldx | O.Imm, 3), S(O.Ld | O.B | O.Ind, 4), RetA }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ldx | O.Imm, 3), S(O.Ld | O.W | O.Ind, 4), S(O.Ret, 9) }, Packet));
            // X + k wraps around 32 bits: still out of bounds, not a read at a small offset.
            Assert.Equal(0u, Run(new[] { S(O.Ldx | O.Imm, 0xFFFFFFFF), S(O.Ld | O.B | O.Ind, 2), S(O.Ret, 9) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ldx | O.Imm, 2), S(O.Ld | O.B | O.Ind, 0xFFFFFFFF), S(O.Ret, 9) }, Packet));
        }

        [Fact]
        public void HeaderLengthLoadAndLengths()
        {
            // 4 * (packet[8] & 0xf) = 4 * 5 = 20.
            Assert.Equal(20u, Run(new[] { S(O.Ldx | O.B | O.Msh, 8), S(O.Misc | O.Txa), RetA }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ldx | O.B | O.Msh, 10), S(O.Ret, 9) }, Packet));
            Assert.Equal(1514u, Run(new[] { S(O.Ld | O.W | O.Len), RetA }, Packet, 1514));
            Assert.Equal(1514u, Run(new[] { S(O.Ldx | O.W | O.Len), S(O.Misc | O.Txa), RetA }, Packet, 1514));
            Assert.Equal(10u, Run(new[] { S(O.Ld | O.W | O.BufLen), RetA }, Packet, 1514));
            Assert.Equal(10u, Run(new[] { S(O.Ldx | O.W | O.BufLen), S(O.Misc | O.Txa), RetA }, Packet, 1514));
        }

        [Fact]
        public void ScratchMemoryAndRegisters()
        {
            var program = new[]
            {
                S(O.Ld | O.Imm, 7), S(O.St, 3), S(O.Ldx | O.Imm, 5), S(O.Stx, 15),
                S(O.Ld | O.Mem, 15), S(O.Ldx | O.Mem, 3), S(O.Alu | O.Mul | O.X), S(O.Misc | O.Tax),
                S(O.Ld | O.Imm, 1), S(O.Misc | O.Txa), RetA,
            };
            Assert.Equal(35u, Run(program, Packet));
        }

        [Theory]
        [InlineData(O.Add, 100u, 7u, 107u)]
        [InlineData(O.Sub, 5u, 7u, 0xFFFFFFFEu)]
        [InlineData(O.Mul, 0x10001u, 0x10001u, 0x20001u)]
        [InlineData(O.Div, 100u, 7u, 14u)]
        [InlineData(O.Mod, 100u, 7u, 2u)]
        [InlineData(O.And, 0xF0F0u, 0xFF00u, 0xF000u)]
        [InlineData(O.Or, 0xF0F0u, 0xFF00u, 0xFFF0u)]
        [InlineData(O.Xor, 0xF0F0u, 0xFF00u, 0x0FF0u)]
        [InlineData(O.Lsh, 0x80000001u, 1u, 2u)]
        [InlineData(O.Rsh, 0x80000001u, 31u, 1u)]
        [InlineData(O.Div, 0xFFFFFFFFu, 0xFFFFFFFFu, 1u)]
        public void Arithmetic(int operation, uint a, uint operand, uint expected)
        {
            Assert.Equal(expected, Run(new[] { S(O.Ld | O.Imm, a), S(O.Alu | operation | O.K, operand), RetA }, Packet));
            Assert.Equal(expected, Run(new[] { S(O.Ld | O.Imm, a), S(O.Ldx | O.Imm, operand), S(O.Alu | operation | O.X), RetA }, Packet));
        }

        [Fact]
        public void RuntimeZeroDivisorAndWideShifts()
        {
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.Imm, 9), S(O.Ldx | O.Imm, 0), S(O.Alu | O.Div | O.X), S(O.Ret, 5) }, Packet));
            Assert.Equal(0u, Run(new[] { S(O.Ld | O.Imm, 9), S(O.Ldx | O.Imm, 0), S(O.Alu | O.Mod | O.X), S(O.Ret, 5) }, Packet));
            foreach (uint count in new uint[] { 31, 32, 33, 64, 0xFFFFFFFF })
            {
                uint left = count < 32 ? 0xdefc0u << (int)count : 0;
                uint right = count < 32 ? 0xdefc0u >> (int)count : 0;
                Assert.Equal(left, Run(new[] { S(O.Ld | O.Imm, 0xdefc0), S(O.Ldx | O.Imm, count), S(O.Alu | O.Lsh | O.X), RetA }, Packet));
                Assert.Equal(right, Run(new[] { S(O.Ld | O.Imm, 0xdefc0), S(O.Ldx | O.Imm, count), S(O.Alu | O.Rsh | O.X), RetA }, Packet));
            }
            Assert.Equal(0xFFFFFFF9u, Run(new[] { S(O.Ld | O.Imm, 7), S(O.Alu | O.Neg), RetA }, Packet));
        }

        [Theory]
        [InlineData(O.Jeq, 5u, 5u, true)]
        [InlineData(O.Jeq, 5u, 6u, false)]
        [InlineData(O.Jgt, 6u, 5u, true)]
        [InlineData(O.Jgt, 5u, 5u, false)]
        [InlineData(O.Jgt, 0x80000000u, 1u, true)]
        [InlineData(O.Jge, 5u, 5u, true)]
        [InlineData(O.Jge, 4u, 5u, false)]
        [InlineData(O.Jset, 6u, 2u, true)]
        [InlineData(O.Jset, 5u, 2u, false)]
        public void ConditionalJumps(int test, uint a, uint operand, bool taken)
        {
            uint expected = taken ? 1u : 2u;
            var withK = new[] { S(O.Ld | O.Imm, a), J(O.Jmp | test | O.K, operand, 1, 0), S(O.Ret, 2), S(O.Ret, 1) };
            Assert.Equal(expected, Run(withK, Packet));
            var withX = new[] { S(O.Ld | O.Imm, a), S(O.Ldx | O.Imm, operand), J(O.Jmp | test | O.X, 0, 0, 1), S(O.Ret, 1), S(O.Ret, 2) };
            Assert.Equal(expected, Run(withX, Packet));
            var both = new[] { S(O.Ld | O.Imm, a), J(O.Jmp | test | O.K, operand, 2, 1), S(O.Ret, 3), S(O.Ret, 2), S(O.Ret, 1) };
            Assert.Equal(expected, Run(both, Packet));
        }

        [Fact]
        public void AlwaysJumpSkips()
        {
            var program = new[] { S(O.Jmp | O.Ja, 2), S(O.Ret, 1), S(O.Ret, 2), J(O.Jmp | O.Jeq, 0, 0, 0), S(O.Ret, 3) };
            Assert.Equal(3u, Run(program, Packet));
        }

        [Fact]
        public void ByteSwapExtension()
        {
            Assert.Equal(0x78563412u, Run(new[] { S(O.Ld | O.W | O.Abs, 0), S(O.Alu | O.Swap, 32), RetA }, Packet));
            Assert.Equal(0x7856u, Run(new[] { S(O.Ld | O.W | O.Abs, 0), S(O.Alu | O.Swap, 16), RetA }, Packet));
        }

        [Fact]
        public void ContextLoadsAreLittleEndianAndChecked()
        {
            byte[] words = { 1, 0, 0, 0, 0xff, 0xee, 0xdd, 0xcc };
            fixed (byte* w = words)
            {
                var context = new RunContext { Context = w, ContextLength = 8 };
                VerifierOptions options = VerifierOptions.Extended(8, false);
                Assert.Equal(0xccddeeffu, Run(new[] { S(O.Ld | O.W | O.Ctx, 4), RetA }, Packet, null, &context, options));
                Assert.Equal(0xeeffu, Run(new[] { S(O.Ld | O.H | O.Ctx, 4), RetA }, Packet, null, &context, options));
                Assert.Equal(0xccu, Run(new[] { S(O.Ld | O.B | O.Ctx, 7), RetA }, Packet, null, &context, options));
                // A caller that supplies less than it declared gets 0, not a read past its buffer.
                context.ContextLength = 6;
                Assert.Equal(0u, Run(new[] { S(O.Ld | O.W | O.Ctx, 4), S(O.Ret, 9) }, Packet, null, &context, options));
                Assert.Equal(0u, Run(new[] { S(O.Ld | O.W | O.Ctx, 4), S(O.Ret, 9) }, Packet, null, null, options));
            }
        }

        [Fact]
        public void EmitAppendsRecordsUpToCapacity()
        {
            var records = new EmitRecord[2];
            fixed (EmitRecord* r = records)
            {
                var context = new RunContext { Emits = r, EmitCapacity = 2 };
                VerifierOptions options = VerifierOptions.Extended(0, true);
                var program = new[]
                {
                    S(O.Ld | O.Imm, 10), S(O.Ldx | O.Imm, 1), S(O.Misc | O.Emit, 7),
                    S(O.Ld | O.Imm, 20), S(O.Misc | O.Emit, 8),
                    S(O.Ld | O.Imm, 30), S(O.Misc | O.Emit, 9), S(O.Ret, 1),
                };
                Assert.Equal(1u, Run(program, Packet, null, &context, options));
                Assert.Equal(3u, context.EmitCount);
                Assert.Equal(20u, records[1].A);
                Assert.Equal(1u, records[1].X);
                Assert.Equal(8u, records[1].K);
                Assert.Equal(1u, Run(program, Packet, null, null, options));
            }
        }
    }
}
