// Human-readable words for each VerifierRule, used in error messages (tools, kernel log).
// Constant strings only: no allocation, so the kernel can call it on any path.
namespace ExoSharp.Executive.Verification
{
    public static class VerifierRuleText
    {
        public static string Describe(VerifierRule rule)
        {
            switch (rule)
            {
                case VerifierRule.None: return "accepted";
                case VerifierRule.Empty: return "the program is empty";
                case VerifierRule.TooLong: return "the program is longer than the limit";
                case VerifierRule.UnknownOpcode: return "unknown opcode";
                case VerifierRule.ExtensionNotAllowed: return "extension opcode not allowed for this kind of program";
                case VerifierRule.JumpOutOfRange: return "jump target beyond the last instruction";
                case VerifierRule.FallsOffEnd: return "execution can run past the last instruction without a return";
                case VerifierRule.DivisionByZero: return "division or modulo by the constant 0";
                case VerifierRule.ShiftTooLarge: return "shift by a constant of 32 or more";
                case VerifierRule.ScratchIndexOutOfRange: return "scratch memory index is not in 0..15";
                case VerifierRule.UninitializedScratchRead: return "scratch memory word read before it is written on some path";
                case VerifierRule.ContextOutOfRange: return "context load outside the declared context length";
                case VerifierRule.EmitNotAllowed: return "emit is not allowed for this kind of program";
                case VerifierRule.BadSwapWidth: return "byte swap width must be 16 or 32";
                default: return "unknown rule";
            }
        }
    }
}
