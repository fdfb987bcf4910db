// A metadata type: its number and its owns UDF (verified bytecode, also stored in the type's
// template slot on disk so mount can rebuild the registry). Invariant: Program passed
// IOwnsRunner.Verify and emits nothing over an all-zero block. Missing: raw-readable and
// raw-writable byte ranges (XN's template fields), removal.
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Xn;

public sealed class Template
{
    public uint Type;
    public Instruction[] Program;
    /// <summary>The most records one run can emit (the verifier's bound).</summary>
    public int MaxEmits;
}
