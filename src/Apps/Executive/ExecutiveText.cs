// Words for the executive tests' output: a system call result as the Error's name (the corelib
// cannot format enums by name), a ProgramRule's name, and what a ProgramReport says.
using ExoSharp.Abi;

namespace ExoSharp.Apps.Executive
{
    internal static class ExecutiveText
    {
        public static string Result(long result)
        {
            switch ((Error)result)
            {
                case Error.BadAddress: return "BadAddress";
                case Error.BadLength: return "BadLength";
                case Error.BadArgument: return "BadArgument";
                case Error.NoMemory: return "NoMemory";
                case Error.TableFull: return "TableFull";
                case Error.ProgramRefused: return "ProgramRefused";
                case Error.Overlap: return "Overlap";
                case Error.NotOwner: return "NotOwner";
                case Error.NoSuchProgram: return "NoSuchProgram";
                case Error.NoDevice: return "NoDevice";
                case Error.Spoofed: return "Spoofed";
                case Error.NoRights: return "NoRights";
                case Error.NoSuchBlock: return "NoSuchBlock";
                case Error.BlockInUse: return "BlockInUse";
                case Error.FreePending: return "FreePending";
                case Error.NoSuchType: return "NoSuchType";
                case Error.NotInCore: return "NotInCore";
                case Error.Uninitialised: return "Uninitialised";
                case Error.ForgedPointer: return "ForgedPointer";
                case Error.LostPointer: return "LostPointer";
                case Error.UdfLied: return "UdfLied";
                case Error.OverBudget: return "OverBudget";
                case Error.Tainted: return "Tainted";
                case Error.NoSuchEnv: return "NoSuchEnv";
                case Error.BadHandle: return "BadHandle";
                default: return result.ToString();
            }
        }

        public static string Rule(uint rule)
        {
            switch ((ProgramRule)rule)
            {
                case ProgramRule.None: return "None";
                case ProgramRule.Empty: return "Empty";
                case ProgramRule.TooLong: return "TooLong";
                case ProgramRule.UnknownOpcode: return "UnknownOpcode";
                case ProgramRule.ExtensionNotAllowed: return "ExtensionNotAllowed";
                case ProgramRule.JumpOutOfRange: return "JumpOutOfRange";
                case ProgramRule.FallsOffEnd: return "FallsOffEnd";
                case ProgramRule.DivisionByZero: return "DivisionByZero";
                case ProgramRule.ShiftTooLarge: return "ShiftTooLarge";
                case ProgramRule.ScratchIndexOutOfRange: return "ScratchIndexOutOfRange";
                case ProgramRule.UninitializedScratchRead: return "UninitializedScratchRead";
                case ProgramRule.ContextOutOfRange: return "ContextOutOfRange";
                case ProgramRule.EmitNotAllowed: return "EmitNotAllowed";
                case ProgramRule.BadSwapWidth: return "BadSwapWidth";
                default: return "rule " + rule.ToString();
            }
        }

        /// <summary>"rule JumpOutOfRange at instruction 3" or "rule TooLong (whole program)".</summary>
        public static string Refusal(in ProgramReport report) =>
            "rule " + Rule(report.Rule) + (report.Index >= 0 ? " at instruction " + report.Index.ToString() : " (whole program)");
    }
}
