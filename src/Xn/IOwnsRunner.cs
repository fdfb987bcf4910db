// The seam for running a template's owns UDF: verify it once when the template is registered or
// read back at mount, then run it over a metadata block (a cache page, mount's scratch page) to get
// the extents it points to. The host tests use InterpretingOwnsRunner; the kernel uses
// CompilingOwnsRunner (src/Kernel/Xn), which keeps compiled code for the programs it has run.
using System;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;

namespace ExoSharp.Xn;

public interface IOwnsRunner
{
    /// <summary>Verifies an owns UDF over 4096-byte blocks: 0 when accepted (the verdict has the most
    /// records it can emit), ProgramRefused (the verdict names the rule) or OverBudget otherwise.</summary>
    Error Verify(ReadOnlySpan<Instruction> program, out VerifierResult verdict);

    /// <summary>Runs a verified program over block (BlockSize bytes; any other length emits more
    /// than records holds, which callers refuse as OverBudget); records receives what it emits
    /// (records.Length >= its maxEmits). Returns the number emitted. Precondition: the program
    /// array is not changed once it has run (a runner may know it again by reference).</summary>
    int Run(Instruction[] program, ReadOnlySpan<byte> block, EmitRecord[] records);
}
