// Why the verifier refused a downloaded program: the one list of rules, used by the executive's
// Verifier (src/Executive) and reported across the ABI (ProgramReport.Rule). Numbers are
// stable. docs/abi.md and docs/executive.md explain each.
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
