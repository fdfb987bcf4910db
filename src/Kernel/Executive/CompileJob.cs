// One verified program compiled a slice at a time, so that no system call or timer tick spends
// more than a bounded amount of work on compilation (docs/abi.md, "Bounded kernel work"): Step
// compiles at most its budget of instructions (patching 16 jumps or laying down the code counts
// as one). Until a job is done the program runs in the interpreter. The program is the job's own
// copy (the caller's array, never changed after it is made).
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Native;

namespace ExoSharp.Kernel.Executive;

internal sealed class CompileJob
{
    private const int JumpsPerUnit = 16;

    private readonly Instruction[] _program;
    private readonly X64Assembler _asm;
    private readonly int _firstLabel, _returnZero;
    private int _next;
    private bool _ended;

    public CompileJob(Instruction[] program)
    {
        _program = program;
        _asm = new X64Assembler(16 * program.Length + 64);     // grows if needed
        _firstLabel = NativeCompiler.Begin(program.Length, _asm, out _returnZero);
    }

    /// <summary>Spends at most budget units; true when the job is over: code is then the
    /// compiled program, or invalid (an instruction the compiler does not know, no room).</summary>
    public bool Step(ref int budget, out NativeCode code)
    {
        code = default;
        if (_next < _program.Length)
        {
            int end = _program.Length - _next > budget ? _next + budget : _program.Length;
            if (!NativeCompiler.CompileRange(_program, _next, end, _firstLabel, _returnZero, _asm)) return true;
            budget -= end - _next;
            _next = end;
            if (_next < _program.Length) return false;
        }
        if (!_ended)
        {
            NativeCompiler.End(_returnZero, _asm);
            _ended = true;
        }
        while (budget > 0)
        {
            budget--;
            int finished = _asm.FinishSome(JumpsPerUnit);
            if (finished < 0) return true;
            if (finished == 0) continue;
            code = NativeCode.Place(_asm);
            return true;
        }
        return false;
    }
}
