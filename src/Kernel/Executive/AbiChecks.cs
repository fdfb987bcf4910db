// The ABI's copies of the executive's layouts and limits (ProgramInstruction, UdfRecord,
// ExecutiveLimits) must equal the executive's own (Instruction, EmitRecord, Verifier.MaxLength;
// the rules are one list, Abi.ProgramRule, used by both). Limits are checked when the kernel is
// compiled: the constant below divides by zero, a compile error, if they differ. Layouts are
// checked once at the first executive call (Verify): C# has no compile-time sizeof for structs.
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;

namespace ExoSharp.Kernel.Executive
{
    internal static unsafe class AbiChecks
    {
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
