// The ABI's copies of the executive's layouts and limits must equal the executive's own: the
// kernel reads a user's ProgramInstruction array as Instructions without converting, and the
// ABI's length limits must fit the verifier's.
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Verification;
using Xunit;

namespace ExoSharp.Tests.Executive
{
    public sealed class AbiLayoutTests
    {
        [Fact]
        public void ProgramInstructionIsAnInstruction()
        {
            var probe = new ProgramInstruction(0x1234, 0x56, 0x78, 0x9ABCDEF0);
            Instruction insn = Unsafe.As<ProgramInstruction, Instruction>(ref probe);
            Assert.Equal(Unsafe.SizeOf<ProgramInstruction>(), Unsafe.SizeOf<Instruction>());
            Assert.Equal((0x1234, 0x56, 0x78, 0x9ABCDEF0u), (insn.Code, insn.JumpTrue, insn.JumpFalse, insn.K));
        }

        [Fact]
        public void LimitsFitTheVerifier()
        {
            Assert.Equal(Verifier.MaxLength, ExecutiveLimits.MaxProgram);
            Assert.True(ExecutiveLimits.MaxPredicate <= Verifier.MaxLength);
            Assert.True(ExecutiveLimits.MaxFilterProgram <= Verifier.MaxLength);
        }
    }
}
