// The ABI's copies of the executive's numbers and layouts (Abi.ProgramRule, ProgramInstruction,
// UdfRecord, ExecutiveLimits) must equal the executive's own (VerifierRule, Instruction,
// EmitRecord, Verifier.MaxLength). Numbers are checked when the kernel is compiled: each
// constant below divides by zero, a compile error, if a pair differs. Layouts are checked once
// at the first executive call (Verify), since C# has no compile-time sizeof for structs.
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.Executive
{
    internal static unsafe class AbiChecks
    {
        private const int RulesMatch = 1 / (
            (uint)ProgramRule.None == (uint)VerifierRule.None &&
            (uint)ProgramRule.Empty == (uint)VerifierRule.Empty &&
            (uint)ProgramRule.TooLong == (uint)VerifierRule.TooLong &&
            (uint)ProgramRule.UnknownOpcode == (uint)VerifierRule.UnknownOpcode &&
            (uint)ProgramRule.ExtensionNotAllowed == (uint)VerifierRule.ExtensionNotAllowed &&
            (uint)ProgramRule.JumpOutOfRange == (uint)VerifierRule.JumpOutOfRange &&
            (uint)ProgramRule.FallsOffEnd == (uint)VerifierRule.FallsOffEnd &&
            (uint)ProgramRule.DivisionByZero == (uint)VerifierRule.DivisionByZero &&
            (uint)ProgramRule.ShiftTooLarge == (uint)VerifierRule.ShiftTooLarge &&
            (uint)ProgramRule.ScratchIndexOutOfRange == (uint)VerifierRule.ScratchIndexOutOfRange &&
            (uint)ProgramRule.UninitializedScratchRead == (uint)VerifierRule.UninitializedScratchRead &&
            (uint)ProgramRule.ContextOutOfRange == (uint)VerifierRule.ContextOutOfRange &&
            (uint)ProgramRule.EmitNotAllowed == (uint)VerifierRule.EmitNotAllowed &&
            (uint)ProgramRule.BadSwapWidth == (uint)VerifierRule.BadSwapWidth ? 1 : 0);

        /// <summary>A program the ABI lets through fits the verifier; every emit fits one UdfRun.</summary>
        private const int LimitsMatch = 1 / (
            ExecutiveLimits.MaxProgram == Verifier.MaxLength &&
            ExecutiveLimits.MaxPredicate <= Verifier.MaxLength &&
            ExecutiveLimits.MaxUdfRecords >= Verifier.MaxLength ? 1 : 0);

        /// <summary>Halts if a layout differs (a build of mismatched sources).</summary>
        public static void Verify()
        {
            var probe = new ProgramInstruction(0x1234, 0x56, 0x78, 0x9ABCDEF0);
            var insn = *(Instruction*)&probe;
            bool instructions = sizeof(ProgramInstruction) == sizeof(Instruction) && insn.Code == 0x1234 &&
                                insn.JumpTrue == 0x56 && insn.JumpFalse == 0x78 && insn.K == 0x9ABCDEF0;
            var record = new EmitRecord { A = 1, X = 2, K = 3 };
            var mirror = *(UdfRecord*)&record;
            bool records = sizeof(UdfRecord) == sizeof(EmitRecord) && mirror.A == 1 && mirror.X == 2 && mirror.K == 3;
            if (!instructions || !records) Panic.Halt("the ABI's executive layouts differ from the executive's");
        }
    }
}
