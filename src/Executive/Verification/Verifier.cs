// Proves a program safe before it runs: known opcodes, forward in-range jumps (so at most n
// steps), a return ending every path, no constant division by 0 or shift past 31, scratch words
// in range and written before read on every path (data flow over the DAG), context loads inside
// the declared context. Packet loads are checked at run time by the engines (docs/executive.md).
// Never throws; allocates nothing when given a workspace.
using System;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Abi;

namespace ExoSharp.Executive.Verification;

public static class Verifier
{
    /// <summary>The longest program any kind may have.</summary>
    public const int MaxLength = 4096;

    private const uint Reachable = 0x80000000u;

    /// <summary>uints of workspace Verify needs for a program of this many instructions.</summary>
    public static int WorkspaceSize(int length) => 2 * length;

    /// <summary>Verifies with a workspace it allocates.</summary>
    public static VerifierResult Verify(ReadOnlySpan<Instruction> program, in VerifierOptions options)
    {
        if (program.Length == 0) return VerifierResult.Reject(ProgramRule.Empty, -1);
        if (program.Length > options.MaxLength || program.Length > MaxLength) return VerifierResult.Reject(ProgramRule.TooLong, -1);
        uint[] workspace = new uint[WorkspaceSize(program.Length)];
        return Verify(program, options, workspace);
    }

    /// <param name="workspace">At least WorkspaceSize(program.Length) elements; its contents are overwritten.</param>
    public static VerifierResult Verify(ReadOnlySpan<Instruction> program, in VerifierOptions options, Span<uint> workspace)
    {
        int n = program.Length;
        if (n == 0) return VerifierResult.Reject(ProgramRule.Empty, -1);
        if (n > options.MaxLength || n > MaxLength) return VerifierResult.Reject(ProgramRule.TooLong, -1);
        if (workspace.Length < WorkspaceSize(n)) return VerifierResult.Reject(ProgramRule.TooLong, -1);

        uint contextNeeded = 0;
        for (int i = 0; i < n; i++)
        {
            ProgramRule rule = CheckInstruction(program[i], i, n, options);
            if (rule != ProgramRule.None) return VerifierResult.Reject(rule, i);
            if (Opcode.Class(program[i].Code) == Opcode.Ld && Opcode.Mode(program[i].Code) == Opcode.Ctx)
            {
                uint end = program[i].K + Opcode.SizeBytes(program[i].Code);
                if (end > contextNeeded) contextNeeded = end;
            }
        }

        // Data flow in program order, which is a topological order because jumps go forward.
        // Entry i: reachable flag | scratch words written on every path to i. Entry n+i: steps
        // (high half) and emits (low half) on the longest path reaching i, counting i.
        for (int i = 0; i < 2 * n; i++) workspace[i] = 0;
        workspace[0] = Reachable;
        int maxSteps = 0, maxEmits = 0;
        for (int i = 0; i < n; i++)
        {
            uint state = workspace[i];
            if ((state & Reachable) == 0) continue;
            Instruction insn = program[i];
            uint written = state & 0xFFFF;
            int cls = Opcode.Class(insn.Code);
            bool readsScratch = (cls == Opcode.Ld || cls == Opcode.Ldx) && Opcode.Mode(insn.Code) == Opcode.Mem;
            if (readsScratch && (written & (1u << (int)insn.K)) == 0)
                return VerifierResult.Reject(ProgramRule.UninitializedScratchRead, i);
            if (cls == Opcode.St || cls == Opcode.Stx) written |= 1u << (int)insn.K;

            uint counts = workspace[n + i];
            int steps = (int)(counts >> 16) + 1;
            int emits = (int)(counts & 0xFFFF) + (insn.Code == (Opcode.Misc | Opcode.Emit) ? 1 : 0);
            if (steps > maxSteps) maxSteps = steps;
            if (emits > maxEmits) maxEmits = emits;
            uint outCounts = ((uint)steps << 16) | (uint)emits;

            if (cls == Opcode.Ret) continue;
            if (cls == Opcode.Jmp)
            {
                if (Opcode.Operation(insn.Code) == Opcode.Ja)
                {
                    Flow(workspace, n, i + 1 + (int)insn.K, written, outCounts);
                }
                else
                {
                    Flow(workspace, n, i + 1 + insn.JumpTrue, written, outCounts);
                    Flow(workspace, n, i + 1 + insn.JumpFalse, written, outCounts);
                }
            }
            else
            {
                Flow(workspace, n, i + 1, written, outCounts);
            }
        }
        return new VerifierResult { Rule = ProgramRule.None, Index = -1, MaxSteps = maxSteps, MaxEmits = maxEmits, RequiredContextLength = contextNeeded };
    }

    /// <summary>Merges the state leaving one instruction into a successor's entry state.</summary>
    private static void Flow(Span<uint> workspace, int n, int target, uint written, uint counts)
    {
        uint state = workspace[target];
        if ((state & Reachable) == 0) workspace[target] = Reachable | written;
        else workspace[target] = Reachable | (state & written);
        uint old = workspace[n + target];
        if ((counts >> 16) > (old >> 16)) old = (counts & 0xFFFF0000u) | (old & 0xFFFF);
        if ((counts & 0xFFFF) > (old & 0xFFFF)) old = (old & 0xFFFF0000u) | (counts & 0xFFFF);
        workspace[n + target] = old;
    }

    /// <summary>Rules that hold for one instruction on its own (opcode, operands, jump range).</summary>
    private static ProgramRule CheckInstruction(Instruction insn, int index, int n, in VerifierOptions options)
    {
        ushort code = insn.Code;
        bool last = index == n - 1;
        switch (code)
        {
            // Loads into A and X, stores.
            case Opcode.Ld | Opcode.Imm:
            case Opcode.Ld | Opcode.W | Opcode.Abs:
            case Opcode.Ld | Opcode.H | Opcode.Abs:
            case Opcode.Ld | Opcode.B | Opcode.Abs:
            case Opcode.Ld | Opcode.W | Opcode.Ind:
            case Opcode.Ld | Opcode.H | Opcode.Ind:
            case Opcode.Ld | Opcode.B | Opcode.Ind:
            case Opcode.Ld | Opcode.W | Opcode.Len:
            case Opcode.Ldx | Opcode.Imm:
            case Opcode.Ldx | Opcode.W | Opcode.Len:
            case Opcode.Ldx | Opcode.B | Opcode.Msh:
            case Opcode.Misc | Opcode.Tax:
            case Opcode.Misc | Opcode.Txa:
            case Opcode.Alu | Opcode.Neg:
                return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
            case Opcode.Ld | Opcode.Mem:
            case Opcode.Ldx | Opcode.Mem:
            case Opcode.St:
            case Opcode.Stx:
                if (insn.K >= Opcode.MemoryWords) return ProgramRule.ScratchIndexOutOfRange;
                return last ? ProgramRule.FallsOffEnd : ProgramRule.None;

            // Extensions.
            case Opcode.Ld | Opcode.W | Opcode.Ctx:
            case Opcode.Ld | Opcode.H | Opcode.Ctx:
            case Opcode.Ld | Opcode.B | Opcode.Ctx:
                if (!options.AllowExtensions) return ProgramRule.ExtensionNotAllowed;
                if ((ulong)insn.K + Opcode.SizeBytes(code) > options.ContextLength) return ProgramRule.ContextOutOfRange;
                return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
            case Opcode.Ld | Opcode.W | Opcode.BufLen:
            case Opcode.Ldx | Opcode.W | Opcode.BufLen:
                if (!options.AllowExtensions) return ProgramRule.ExtensionNotAllowed;
                return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
            case Opcode.Alu | Opcode.Swap:
                if (!options.AllowExtensions) return ProgramRule.ExtensionNotAllowed;
                if (insn.K != 16 && insn.K != 32) return ProgramRule.BadSwapWidth;
                return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
            case Opcode.Misc | Opcode.Emit:
                if (!options.AllowExtensions) return ProgramRule.ExtensionNotAllowed;
                if (!options.AllowEmit) return ProgramRule.EmitNotAllowed;
                return last ? ProgramRule.FallsOffEnd : ProgramRule.None;

            case Opcode.Ret | Opcode.RetK:
            case Opcode.Ret | Opcode.RetA:
                return ProgramRule.None;

            case Opcode.Jmp | Opcode.Ja:
                if ((ulong)index + 1 + insn.K >= (ulong)n) return ProgramRule.JumpOutOfRange;
                return ProgramRule.None;
            case Opcode.Jmp | Opcode.Jeq | Opcode.K:
            case Opcode.Jmp | Opcode.Jeq | Opcode.X:
            case Opcode.Jmp | Opcode.Jgt | Opcode.K:
            case Opcode.Jmp | Opcode.Jgt | Opcode.X:
            case Opcode.Jmp | Opcode.Jge | Opcode.K:
            case Opcode.Jmp | Opcode.Jge | Opcode.X:
            case Opcode.Jmp | Opcode.Jset | Opcode.K:
            case Opcode.Jmp | Opcode.Jset | Opcode.X:
                if (index + 1 + insn.JumpTrue >= n || index + 1 + insn.JumpFalse >= n) return ProgramRule.JumpOutOfRange;
                return ProgramRule.None;
        }
        if (Opcode.Class(code) == Opcode.Alu && (code & 0xFF00) == 0)
        {
            int op = Opcode.Operation(code);
            bool constant = Opcode.Source(code) == Opcode.K;
            switch (op)
            {
                case Opcode.Add:
                case Opcode.Sub:
                case Opcode.Mul:
                case Opcode.Or:
                case Opcode.And:
                case Opcode.Xor:
                    return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
                case Opcode.Div:
                case Opcode.Mod:
                    if (constant && insn.K == 0) return ProgramRule.DivisionByZero;
                    return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
                case Opcode.Lsh:
                case Opcode.Rsh:
                    if (constant && insn.K >= 32) return ProgramRule.ShiftTooLarge;
                    return last ? ProgramRule.FallsOffEnd : ProgramRule.None;
            }
        }
        return ProgramRule.UnknownOpcode;
    }
}
