// XN's IOwnsRunner in the kernel: owns UDFs run as x86-64 code (the executive's compiler, code in
// CodePages) instead of through the interpreter. Verification is the interpreter runner's. A
// compiled program is found again by the array it came from (held here, so the collector cannot
// give its memory to another program; XN never changes a program array once run), else by its
// instructions compared in full; at most Capacity are kept, the oldest replaced. A program the
// compiler cannot take is interpreted. Interrupts off.
using System;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Executive;
using ExoSharp.Xn;

namespace ExoSharp.Kernel.Xn;

internal sealed unsafe class CompilingOwnsRunner : IOwnsRunner
{
    public const int Capacity = 32;

    private readonly InterpretingOwnsRunner _interpreter = new InterpretingOwnsRunner();
    private readonly Instruction[][] _programs = new Instruction[Capacity][];
    private readonly Instruction[][] _sources = new Instruction[Capacity][];     // the arrays passed in
    private readonly NativeCode[] _code = new NativeCode[Capacity];
    private int _next;

    /// <summary>Runs that went through compiled code (for the self-test and XnInfo).</summary>
    public long CompiledRuns;

    public Error Verify(ReadOnlySpan<Instruction> program, out VerifierResult verdict) => _interpreter.Verify(program, out verdict);

    public int Run(Instruction[] program, ReadOnlySpan<byte> block, EmitRecord[] records)
    {
        if (block.Length != XnLayout.BlockSize) return records.Length + 1;
        NativeCode code = Find(program);
        if (!code.IsValid) return _interpreter.Run(program, block, records);
        CompiledRuns++;
        fixed (byte* bytes = block)
        fixed (EmitRecord* output = records)
        {
            RunContext context = InterpretingOwnsRunner.ContextFor(bytes, output, records.Length);
            code.Run(bytes, XnLayout.BlockSize, XnLayout.BlockSize, &context);
            return (int)context.EmitCount;
        }
    }

    private NativeCode Find(Instruction[] program)
    {
        for (int i = 0; i < Capacity; i++)
            if (_sources[i] == program && program != null) return _code[i];     // a full compare cost ~4,000 instructions a run
        for (int i = 0; i < Capacity; i++)
            if (_programs[i] != null && Same(_programs[i], program))
            {
                _sources[i] = program;
                return _code[i];
            }
        var copy = new Instruction[program.Length];
        for (int i = 0; i < copy.Length; i++) copy[i] = program[i];
        int slot = _next;
        _next = (_next + 1) % Capacity;
        _code[slot].Free();
        _programs[slot] = copy;
        _sources[slot] = program;
        _code[slot] = NativeCode.Compile(copy);
        return _code[slot];
    }

    private static bool Same(Instruction[] kept, ReadOnlySpan<Instruction> program)
    {
        if (kept.Length != program.Length) return false;
        for (int i = 0; i < kept.Length; i++)
        {
            Instruction a = kept[i], b = program[i];
            if (a.Code != b.Code || a.JumpTrue != b.JumpTrue || a.JumpFalse != b.JumpFalse || a.K != b.K) return false;
        }
        return true;
    }
}
