// The outcome of ProgramText.Parse: how many instructions were read, or the error and the
// 1-based line where it was found.
namespace ExoSharp.Tools.FilterVerdicts
{
    public struct TextParseResult
    {
        public TextParseError Error;
        public int Line;
        public int Count;

        public bool IsValid => Error == TextParseError.None;

        public string Describe()
        {
            string what;
            switch (Error)
            {
                case TextParseError.None: return "ok";
                case TextParseError.NoInstructions: what = "no instructions"; break;
                case TextParseError.BadCharacter: what = "unexpected character"; break;
                case TextParseError.WrongFieldCount: what = "an instruction needs 4 numbers: code, jt, jf, k"; break;
                case TextParseError.NumberTooLarge: what = "number too large for its field"; break;
                case TextParseError.TooManyInstructions: what = "too many instructions"; break;
                case TextParseError.CountMismatch: what = "the instruction count on the first line does not match"; break;
                default: what = "unknown error"; break;
            }
            return string.Concat("line ", Line.ToString(), ": ", what);
        }
    }
}
