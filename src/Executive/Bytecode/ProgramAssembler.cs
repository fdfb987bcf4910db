// Builds BPF programs with labels instead of offsets, for generated code (the merged
// demultiplexer). Conditional jumps have 8-bit offsets; one whose target ends up farther than
// 255 instructions is expanded to "jcc 0,1; ja T; ja F" (ja has 32 bits). Expansion repeats until
// nothing more needs it (it only grows distances, so it ends). Labels may only be jumped forward.
using ExoSharp.Executive.Collections;

namespace ExoSharp.Executive.Bytecode;

public sealed class ProgramAssembler
{
    private readonly GrowableArray<PendingInstruction> _code = new GrowableArray<PendingInstruction>(64);
    private readonly GrowableArray<int> _labels = new GrowableArray<int>(16);

    public int Count => _code.Count;

    public int NewLabel()
    {
        _labels.Add(-1);
        return _labels.Count - 1;
    }

    /// <summary>The label names the next instruction emitted.</summary>
    public void Bind(int label) => _labels[label] = _code.Count;

    public void Emit(int code, uint k) => _code.Add(new PendingInstruction { Insn = Instruction.Statement((ushort)code, k), True = -1, False = -1 });

    /// <summary>Conditional jump; a label of -1 means "fall through".</summary>
    public void Jump(int code, uint k, int whenTrue, int whenFalse) =>
        _code.Add(new PendingInstruction { Insn = Instruction.Jump((ushort)code, k, 0, 0), True = whenTrue, False = whenFalse, IsJump = true });

    public void JumpAlways(int label) =>
        _code.Add(new PendingInstruction { Insn = Instruction.Statement(Opcode.Jmp | Opcode.Ja, 0), True = label, False = -1, IsJump = true, IsAlways = true });

    /// <summary>The program with offsets resolved; null if a label is unbound or jumped backward.</summary>
    public Instruction[] Finish()
    {
        int n = _code.Count;
        int[] position = new int[n + 1];
        bool changed = true;
        while (changed)
        {
            changed = false;
            int at = 0;
            for (int i = 0; i < n; i++)
            {
                position[i] = at;
                at += _code[i].Expanded ? 3 : 1;
            }
            position[n] = at;
            for (int i = 0; i < n; i++)
            {
                ref PendingInstruction p = ref _code[i];
                if (!p.IsJump || p.IsAlways || p.Expanded) continue;
                int t = Target(p.True, i), f = Target(p.False, i);
                if (t < 0 || f < 0) return null;
                if (position[t] - position[i] - 1 > 255 || position[f] - position[i] - 1 > 255)
                {
                    p.Expanded = true;
                    changed = true;
                }
            }
        }
        var program = new Instruction[position[n]];
        for (int i = 0; i < n; i++)
        {
            PendingInstruction p = _code[i];
            int at = position[i];
            if (!p.IsJump)
            {
                program[at] = p.Insn;
                continue;
            }
            int t = Target(p.True, i), f = Target(p.False, i);
            if (t < 0 || f < 0 || position[t] <= at || position[f] <= at) return null;
            if (p.IsAlways)
            {
                program[at] = Instruction.Statement(Opcode.Jmp | Opcode.Ja, (uint)(position[t] - at - 1));
            }
            else if (!p.Expanded)
            {
                program[at] = Instruction.Jump(p.Insn.Code, p.Insn.K, (byte)(position[t] - at - 1), (byte)(position[f] - at - 1));
            }
            else
            {
                program[at] = Instruction.Jump(p.Insn.Code, p.Insn.K, 0, 1);
                program[at + 1] = Instruction.Statement(Opcode.Jmp | Opcode.Ja, (uint)(position[t] - at - 2));
                program[at + 2] = Instruction.Statement(Opcode.Jmp | Opcode.Ja, (uint)(position[f] - at - 3));
            }
        }
        return program;
    }

    /// <summary>Index of the pending instruction a label names; -1 if unbound.</summary>
    private int Target(int label, int from)
    {
        if (label < 0) return from + 1;
        return _labels[label];
    }
}
