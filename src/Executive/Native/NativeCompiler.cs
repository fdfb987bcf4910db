// Compiles a verified program to x86-64 with the System V convention, same results as the
// Interpreter: uint Run(byte* packet, uint length, uint wireLength, RunContext* context).
// A = eax, X = ecx, packet rdi, length rsi, wire length r10, context r11, M[] on the stack.
// No callee-saved register, no call, no absolute address: the code runs wherever it is copied.
// Precondition: the program passed the Verifier. Missing: short jumps, M[] kept in registers.
using System;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;

namespace ExoSharp.Executive.Native;

public static class NativeCompiler
{
    private const X64Register A = X64Register.Rax;
    private const X64Register X = X64Register.Rcx;
    private const X64Register Packet = X64Register.Rdi;
    private const X64Register Length = X64Register.Rsi;
    private const X64Register WireLength = X64Register.R10;
    private const X64Register Context = X64Register.R11;
    private const X64Register Scratch = X64Register.Rdx;
    private const X64Register Scratch2 = X64Register.R9;

    /// <summary>Bytes of stack the code uses: M[] plus padding keeping rsp 16-byte aligned.</summary>
    public const int FrameBytes = Opcode.MemoryWords * 4 + 8;

    /// <summary>An upper bound on the code size for a program of this many instructions.</summary>
    public static int MaxCodeBytes(int instructions) => 64 + 80 * instructions;

    /// <summary>Machine code for the program, or null if it holds an instruction the compiler does not know.</summary>
    public static byte[] Compile(ReadOnlySpan<Instruction> program)
    {
        X64Assembler asm = new X64Assembler(MaxCodeBytes(program.Length));
        if (!Compile(program, asm)) return null;
        return asm.ToArray();
    }

    /// <summary>Appends the program's code to asm (entry at the position asm had); false on an unknown instruction.</summary>
    public static bool Compile(ReadOnlySpan<Instruction> program, X64Assembler asm)
    {
        int firstLabel = Begin(program.Length, asm, out int returnZero);
        if (!CompileRange(program, 0, program.Length, firstLabel, returnZero, asm)) return false;
        End(returnZero, asm);
        return asm.Finish();
    }

    // Compile in pieces, so that a caller can spread the work (the kernel compiles a few
    // hundred instructions at a time): Begin, CompileRange over consecutive ranges, End,
    // then asm.FinishSome until it answers 1.

    /// <summary>The prologue of an n-instruction program; returns instruction 0's label (instruction
    /// i's is that + i) and the shared "return 0" label.</summary>
    public static int Begin(int n, X64Assembler asm, out int returnZero)
    {
        int firstLabel = asm.NewLabels(n);
        returnZero = asm.NewLabel();
        asm.AluImmediate(X64Assembler.Sub, X64Register.Rsp, FrameBytes, wide: true);
        asm.Mov(Length, Length);
        asm.Mov(WireLength, X64Register.Rdx);
        asm.Mov(Context, X64Register.Rcx, wide: true);
        asm.Alu(X64Assembler.Xor, A, A);
        asm.Alu(X64Assembler.Xor, X, X);
        return firstLabel;
    }

    /// <summary>Instructions from..to-1; false on an unknown instruction.</summary>
    public static bool CompileRange(ReadOnlySpan<Instruction> program, int from, int to, int firstLabel, int returnZero, X64Assembler asm)
    {
        for (int i = from; i < to; i++)
        {
            asm.Bind(firstLabel + i);
            if (!CompileOne(program[i], i, firstLabel, returnZero, asm)) return false;
        }
        return true;
    }

    public static void End(int returnZero, X64Assembler asm)
    {
        asm.Bind(returnZero);
        asm.Alu(X64Assembler.Xor, A, A);
        Epilogue(asm);
    }

    private static void Epilogue(X64Assembler asm)
    {
        asm.AluImmediate(X64Assembler.Add, X64Register.Rsp, FrameBytes, wide: true);
        asm.Return();
    }

    private static int Slot(uint k) => (int)k * 4;

    private static bool CompileOne(Instruction insn, int index, int firstLabel, int returnZero, X64Assembler asm)
    {
        uint k = insn.K;
        switch (insn.Code)
        {
            case Opcode.Ret | Opcode.RetK:
                asm.MovImmediate(A, k);
                Epilogue(asm);
                return true;
            case Opcode.Ret | Opcode.RetA:
                Epilogue(asm);
                return true;

            case Opcode.Ld | Opcode.W | Opcode.Abs:
            case Opcode.Ld | Opcode.H | Opcode.Abs:
            case Opcode.Ld | Opcode.B | Opcode.Abs:
                {
                    uint size = Opcode.SizeBytes(insn.Code);
                    if ((ulong)k + size > uint.MaxValue)
                    {
                        asm.Jump(returnZero);
                        return true;
                    }
                    asm.AluImmediate(X64Assembler.Cmp, Length, k + size);
                    asm.JumpIf(X64Condition.Below, returnZero);
                    if (k <= int.MaxValue)
                    {
                        LoadPacket(asm, size, X64Register.None, (int)k);
                    }
                    else
                    {
                        asm.MovImmediate(Scratch, k);
                        LoadPacket(asm, size, Scratch, 0);
                    }
                    return true;
                }
            case Opcode.Ld | Opcode.W | Opcode.Ind:
            case Opcode.Ld | Opcode.H | Opcode.Ind:
            case Opcode.Ld | Opcode.B | Opcode.Ind:
                {
                    // rdx = X + k computed in 64 bits, then X + k + size <= length.
                    uint size = Opcode.SizeBytes(insn.Code);
                    asm.Mov(Scratch, X);
                    asm.MovImmediate(Scratch2, k);
                    asm.Alu(X64Assembler.Add, Scratch, Scratch2, wide: true);
                    asm.Lea(Scratch2, Scratch, X64Register.None, (int)size);
                    asm.Alu(X64Assembler.Cmp, Scratch2, Length, wide: true);
                    asm.JumpIf(X64Condition.Above, returnZero);
                    LoadPacket(asm, size, Scratch, 0);
                    return true;
                }
            case Opcode.Ldx | Opcode.B | Opcode.Msh:
                if (k == uint.MaxValue)
                {
                    asm.Jump(returnZero);
                    return true;
                }
                asm.AluImmediate(X64Assembler.Cmp, Length, k + 1);
                asm.JumpIf(X64Condition.Below, returnZero);
                if (k <= int.MaxValue)
                {
                    asm.LoadByte(X, Packet, X64Register.None, (int)k);
                }
                else
                {
                    asm.MovImmediate(Scratch, k);
                    asm.LoadByte(X, Packet, Scratch, 0);
                }
                asm.AluImmediate(X64Assembler.And, X, 0xF);
                asm.ShiftImmediate(true, X, 2);
                return true;

            case Opcode.Ld | Opcode.W | Opcode.Len: asm.Mov(A, WireLength); return true;
            case Opcode.Ldx | Opcode.W | Opcode.Len: asm.Mov(X, WireLength); return true;
            case Opcode.Ld | Opcode.W | Opcode.BufLen: asm.Mov(A, Length); return true;
            case Opcode.Ldx | Opcode.W | Opcode.BufLen: asm.Mov(X, Length); return true;
            case Opcode.Ld | Opcode.Imm: asm.MovImmediate(A, k); return true;
            case Opcode.Ldx | Opcode.Imm: asm.MovImmediate(X, k); return true;
            case Opcode.Ld | Opcode.Mem: asm.Load(A, X64Register.Rsp, X64Register.None, Slot(k)); return true;
            case Opcode.Ldx | Opcode.Mem: asm.Load(X, X64Register.Rsp, X64Register.None, Slot(k)); return true;
            case Opcode.St: asm.Store(X64Register.Rsp, X64Register.None, Slot(k), A); return true;
            case Opcode.Stx: asm.Store(X64Register.Rsp, X64Register.None, Slot(k), X); return true;

            case Opcode.Ld | Opcode.W | Opcode.Ctx:
            case Opcode.Ld | Opcode.H | Opcode.Ctx:
            case Opcode.Ld | Opcode.B | Opcode.Ctx:
                {
                    uint size = Opcode.SizeBytes(insn.Code);
                    if ((ulong)k + size > uint.MaxValue)
                    {
                        asm.Jump(returnZero);
                        return true;
                    }
                    asm.Test(Context, Context, wide: true);
                    asm.JumpIf(X64Condition.Equal, returnZero);
                    asm.AluMemoryImmediate(X64Assembler.Cmp, Context, RunContext.ContextLengthOffset, k + size);
                    asm.JumpIf(X64Condition.Below, returnZero);
                    asm.Load(Scratch2, Context, X64Register.None, RunContext.ContextOffset, wide: true);
                    X64Register loadIndex = X64Register.None;
                    int displacement = (int)k;
                    if (k > int.MaxValue)
                    {
                        asm.MovImmediate(Scratch, k);
                        loadIndex = Scratch;
                        displacement = 0;
                    }
                    if (size == 4) asm.Load(A, Scratch2, loadIndex, displacement);
                    else if (size == 2) asm.LoadWord(A, Scratch2, loadIndex, displacement);
                    else asm.LoadByte(A, Scratch2, loadIndex, displacement);
                    return true;
                }
            case Opcode.Misc | Opcode.Emit:
                {
                    int skip = asm.NewLabel();
                    int count = asm.NewLabel();
                    asm.Test(Context, Context, wide: true);
                    asm.JumpIf(X64Condition.Equal, skip);
                    asm.Load(Scratch2, Context, X64Register.None, RunContext.EmitCountOffset);
                    asm.CompareMemory(Scratch2, Context, RunContext.EmitCapacityOffset);
                    asm.JumpIf(X64Condition.AboveOrEqual, count);
                    asm.Load(Scratch, Context, X64Register.None, RunContext.EmitsOffset, wide: true);
                    asm.ShiftImmediate(true, Scratch2, 4, wide: true);
                    asm.Store(Scratch, Scratch2, 0, A);
                    asm.Store(Scratch, Scratch2, 4, X);
                    asm.StoreImmediate(Scratch, Scratch2, 8, k);
                    asm.StoreImmediate(Scratch, Scratch2, 12, 0);
                    asm.Bind(count);
                    asm.AluMemoryImmediate(X64Assembler.Add, Context, RunContext.EmitCountOffset, 1);
                    asm.Bind(skip);
                    return true;
                }

            case Opcode.Misc | Opcode.Tax: asm.Mov(X, A); return true;
            case Opcode.Misc | Opcode.Txa: asm.Mov(A, X); return true;

            case Opcode.Jmp | Opcode.Ja:
                if (k != 0) asm.Jump(firstLabel + index + 1 + (int)k);
                return true;
            case Opcode.Jmp | Opcode.Jeq | Opcode.K:
                asm.AluImmediate(X64Assembler.Cmp, A, k);
                Branch(asm, insn, index, firstLabel, X64Condition.Equal);
                return true;
            case Opcode.Jmp | Opcode.Jgt | Opcode.K:
                asm.AluImmediate(X64Assembler.Cmp, A, k);
                Branch(asm, insn, index, firstLabel, X64Condition.Above);
                return true;
            case Opcode.Jmp | Opcode.Jge | Opcode.K:
                asm.AluImmediate(X64Assembler.Cmp, A, k);
                Branch(asm, insn, index, firstLabel, X64Condition.AboveOrEqual);
                return true;
            case Opcode.Jmp | Opcode.Jset | Opcode.K:
                asm.TestImmediate(A, k);
                Branch(asm, insn, index, firstLabel, X64Condition.NotEqual);
                return true;
            case Opcode.Jmp | Opcode.Jeq | Opcode.X:
                asm.Alu(X64Assembler.Cmp, A, X);
                Branch(asm, insn, index, firstLabel, X64Condition.Equal);
                return true;
            case Opcode.Jmp | Opcode.Jgt | Opcode.X:
                asm.Alu(X64Assembler.Cmp, A, X);
                Branch(asm, insn, index, firstLabel, X64Condition.Above);
                return true;
            case Opcode.Jmp | Opcode.Jge | Opcode.X:
                asm.Alu(X64Assembler.Cmp, A, X);
                Branch(asm, insn, index, firstLabel, X64Condition.AboveOrEqual);
                return true;
            case Opcode.Jmp | Opcode.Jset | Opcode.X:
                asm.Test(A, X);
                Branch(asm, insn, index, firstLabel, X64Condition.NotEqual);
                return true;

            case Opcode.Alu | Opcode.Add | Opcode.K: asm.AluImmediate(X64Assembler.Add, A, k); return true;
            case Opcode.Alu | Opcode.Sub | Opcode.K: asm.AluImmediate(X64Assembler.Sub, A, k); return true;
            case Opcode.Alu | Opcode.And | Opcode.K: asm.AluImmediate(X64Assembler.And, A, k); return true;
            case Opcode.Alu | Opcode.Or | Opcode.K: asm.AluImmediate(X64Assembler.Or, A, k); return true;
            case Opcode.Alu | Opcode.Xor | Opcode.K: asm.AluImmediate(X64Assembler.Xor, A, k); return true;
            case Opcode.Alu | Opcode.Mul | Opcode.K: asm.MultiplyImmediate(A, k); return true;
            case Opcode.Alu | Opcode.Div | Opcode.K:
            case Opcode.Alu | Opcode.Mod | Opcode.K:
                asm.MovImmediate(Scratch2, k);
                asm.Alu(X64Assembler.Xor, X64Register.Rdx, X64Register.Rdx);
                asm.Divide(Scratch2);
                if (Opcode.Operation(insn.Code) == Opcode.Mod) asm.Mov(A, X64Register.Rdx);
                return true;
            case Opcode.Alu | Opcode.Lsh | Opcode.K: asm.ShiftImmediate(true, A, (int)k); return true;
            case Opcode.Alu | Opcode.Rsh | Opcode.K: asm.ShiftImmediate(false, A, (int)k); return true;
            case Opcode.Alu | Opcode.Add | Opcode.X: asm.Alu(X64Assembler.Add, A, X); return true;
            case Opcode.Alu | Opcode.Sub | Opcode.X: asm.Alu(X64Assembler.Sub, A, X); return true;
            case Opcode.Alu | Opcode.And | Opcode.X: asm.Alu(X64Assembler.And, A, X); return true;
            case Opcode.Alu | Opcode.Or | Opcode.X: asm.Alu(X64Assembler.Or, A, X); return true;
            case Opcode.Alu | Opcode.Xor | Opcode.X: asm.Alu(X64Assembler.Xor, A, X); return true;
            case Opcode.Alu | Opcode.Mul | Opcode.X: asm.Multiply(A, X); return true;
            case Opcode.Alu | Opcode.Div | Opcode.X:
            case Opcode.Alu | Opcode.Mod | Opcode.X:
                asm.Test(X, X);
                asm.JumpIf(X64Condition.Equal, returnZero);
                asm.Alu(X64Assembler.Xor, X64Register.Rdx, X64Register.Rdx);
                asm.Divide(X);
                if (Opcode.Operation(insn.Code) == Opcode.Mod) asm.Mov(A, X64Register.Rdx);
                return true;
            case Opcode.Alu | Opcode.Lsh | Opcode.X:
            case Opcode.Alu | Opcode.Rsh | Opcode.X:
                // x86 masks the count to 5 bits; BPF wants 0 for counts of 32 and more.
                asm.Alu(X64Assembler.Xor, X64Register.Rdx, X64Register.Rdx);
                asm.ShiftByCl(Opcode.Operation(insn.Code) == Opcode.Lsh, A);
                asm.AluImmediate(X64Assembler.Cmp, X, 31);
                asm.ConditionalMove(X64Condition.Above, A, X64Register.Rdx);
                return true;
            case Opcode.Alu | Opcode.Neg: asm.Negate(A); return true;
            case Opcode.Alu | Opcode.Swap:
                if (k == 16)
                {
                    asm.SwapLowBytes(A);
                    asm.ZeroExtendWord(A, A);
                }
                else
                {
                    asm.ByteSwap(A);
                }
                return true;
        }
        return false;
    }

    /// <summary>Loads size bytes big-endian from [packet + index + displacement] into A.</summary>
    private static void LoadPacket(X64Assembler asm, uint size, X64Register index, int displacement)
    {
        if (size == 4)
        {
            asm.Load(A, Packet, index, displacement);
            asm.ByteSwap(A);
        }
        else if (size == 2)
        {
            asm.LoadWord(A, Packet, index, displacement);
            asm.SwapLowBytes(A);
        }
        else
        {
            asm.LoadByte(A, Packet, index, displacement);
        }
    }

    /// <summary>After a compare or test: go to jt's target when the condition holds, else jf's.</summary>
    private static void Branch(X64Assembler asm, Instruction insn, int index, int firstLabel, X64Condition condition)
    {
        int next = index + 1;
        if (insn.JumpTrue == insn.JumpFalse)
        {
            if (insn.JumpTrue != 0) asm.Jump(firstLabel + next + insn.JumpTrue);
        }
        else if (insn.JumpTrue == 0)
        {
            asm.JumpIf(condition ^ (X64Condition)1, firstLabel + next + insn.JumpFalse);
        }
        else
        {
            asm.JumpIf(condition, firstLabel + next + insn.JumpTrue);
            if (insn.JumpFalse != 0) asm.Jump(firstLabel + next + insn.JumpFalse);
        }
    }
}
