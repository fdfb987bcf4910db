// Why a program text did not load (ProgramText.Parse); TextParseResult carries it with the line.
// Numbering is stable.
namespace ExoSharp.Tools.FilterVerdicts
{
    public enum TextParseError
    {
        None = 0,
        NoInstructions = 1,
        BadCharacter = 2,
        WrongFieldCount = 3,
        NumberTooLarge = 4,
        TooManyInstructions = 5,
        CountMismatch = 6,
    }
}
