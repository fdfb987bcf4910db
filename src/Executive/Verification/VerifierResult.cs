// The verifier's answer: accepted, or the first rule broken and the instruction index that broke
// it. For accepted programs it also reports bounds the engines and callers rely on: the longest
// path (instructions executed), the most emits on any path, the context bytes actually read.
using ExoSharp.Abi;

namespace ExoSharp.Executive.Verification;

public struct VerifierResult
{
    public ProgramRule Rule;
    /// <summary>Index of the offending instruction; -1 for whole-program rules (empty, too long).</summary>
    public int Index;
    /// <summary>Most instructions any run executes (a run never exceeds the program length).</summary>
    public int MaxSteps;
    /// <summary>Most emit instructions executed on any path: a big enough output vector never overflows.</summary>
    public int MaxEmits;
    /// <summary>Highest context byte offset read, plus one; the caller must supply at least this many.</summary>
    public uint RequiredContextLength;

    public bool IsValid => Rule == ProgramRule.None;

    public static VerifierResult Reject(ProgramRule rule, int index) => new VerifierResult { Rule = rule, Index = index };
}
