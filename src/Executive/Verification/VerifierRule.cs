// The rules the verifier enforces; a rejection names one of these and an instruction index.
// VerifierRuleText turns a rule into words. Numbering is stable (reported across the ABI later).
namespace ExoSharp.Executive.Verification
{
    public enum VerifierRule
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
