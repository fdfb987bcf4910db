// The reference IOwnsRunner: the executive's Verifier (UDF options: context loads proven inside the
// block, emit allowed) and Interpreter. Allocates nothing per run. Invariant: a program it accepted
// has at most XnLayout.MaxTemplateInstructions instructions and MaxEmits <= MaxRecords, so a run's
// output vector never overflows. The kernel runs compiled code instead (Kernel/Xn/CompilingOwnsRunner).
using System;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;

namespace ExoSharp.Xn;

public sealed unsafe class InterpretingOwnsRunner : IOwnsRunner
{
    private readonly uint[] _workspace = new uint[Verifier.WorkspaceSize(Verifier.MaxLength)];

    public Error Verify(ReadOnlySpan<Instruction> program, out VerifierResult verdict)
    {
        verdict = default;
        if (program.Length > XnLayout.MaxTemplateInstructions) return Error.OverBudget;
        verdict = Verifier.Verify(program, VerifierOptions.Extended(XnLayout.BlockSize, true), _workspace);
        if (!verdict.IsValid) return Error.ProgramRefused;
        return verdict.MaxEmits > XnLayout.MaxRecords ? Error.OverBudget : 0;
    }

    public int Run(Instruction[] program, ReadOnlySpan<byte> block, EmitRecord[] records)
    {
        if (block.Length != XnLayout.BlockSize) return records.Length + 1;
        fixed (byte* bytes = block)
        fixed (EmitRecord* output = records)
        {
            RunContext context = ContextFor(bytes, output, records.Length);
            Interpreter.Run(program, bytes, XnLayout.BlockSize, XnLayout.BlockSize, &context);
            return (int)context.EmitCount;
        }
    }

    /// <summary>An owns run's context: the block is the context (and the packet), records the output.</summary>
    public static RunContext ContextFor(byte* block, EmitRecord* records, int capacity) => new RunContext
    {
        Context = block,
        ContextLength = XnLayout.BlockSize,
        Emits = records,
        EmitCapacity = (uint)capacity,
    };
}
