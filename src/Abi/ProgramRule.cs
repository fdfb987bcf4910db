// Why the kernel's verifier refused a downloaded program (ProgramReport.Rule): the executive's
// VerifierRule numbers, which are stable. The kernel fails to build if the two lists differ
// (src/Kernel/Executive/AbiChecks.cs), so this copy cannot drift. docs/abi.md explains each.
namespace ExoSharp.Abi
{
    public enum ProgramRule : uint
    {
        None = 0,
        Empty = 1,
        TooLong = 2,
        UnknownOpcode = 3,
        ExtensionNotAllowed = 4,
        JumpOutOfRange = 5,
        FallsOffEnd = 6,
        DivisionByZero = 7,
        ShiftTooLarge = 8,
        ScratchIndexOutOfRange = 9,
        UninitializedScratchRead = 10,
        ContextOutOfRange = 11,
        EmitNotAllowed = 12,
        BadSwapWidth = 13,
    }
}
