// Human-readable words for each ProgramRule and a verifier result, for the host's messages
// (this tool, the executive's host tests); user programs have ExOS's own (ExecutiveText), and
// the kernel reports rules by number.
using ExoSharp.Abi;
using ExoSharp.Executive.Verification;

namespace ExoSharp.Tools.FilterVerdicts
{
    public static class VerifierRuleText
    {
        /// <summary>"instruction N: words" or "program: words", for messages.</summary>
        public static string Describe(this VerifierResult result)
        {
            if (result.IsValid) return Describe(result.Rule);
            if (result.Index < 0) return string.Concat("program: ", Describe(result.Rule));
            return string.Concat("instruction ", result.Index.ToString(), ": ", Describe(result.Rule));
        }

        public static string Describe(ProgramRule rule)
        {
            switch (rule)
            {
                case ProgramRule.None: return "accepted";
                case ProgramRule.Empty: return "the program is empty";
                case ProgramRule.TooLong: return "the program is longer than the limit";
                case ProgramRule.UnknownOpcode: return "unknown opcode";
                case ProgramRule.ExtensionNotAllowed: return "extension opcode not allowed for this kind of program";
                case ProgramRule.JumpOutOfRange: return "jump target beyond the last instruction";
                case ProgramRule.FallsOffEnd: return "execution can run past the last instruction without a return";
                case ProgramRule.DivisionByZero: return "division or modulo by the constant 0";
                case ProgramRule.ShiftTooLarge: return "shift by a constant of 32 or more";
                case ProgramRule.ScratchIndexOutOfRange: return "scratch memory index is not in 0..15";
                case ProgramRule.UninitializedScratchRead: return "scratch memory word read before it is written on some path";
                case ProgramRule.ContextOutOfRange: return "context load outside the declared context length";
                case ProgramRule.EmitNotAllowed: return "emit is not allowed for this kind of program";
                case ProgramRule.BadSwapWidth: return "byte swap width must be 16 or 32";
                default: return "unknown rule";
            }
        }
    }
}
