// The reference engine: runs a verified program instruction by instruction with libpcap's
// bpf_filter semantics (packet loads big-endian and bounds-checked at run time: out of bounds
// returns 0; division or modulo by X = 0 returns 0; shifts by X of 32 or more give 0).
// Precondition: the program passed the Verifier (unverified input may fault or loop forever).
using System;
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Executive.Engines;

public static unsafe class Interpreter
{
    /// <param name="packet">length readable bytes (may be null when length is 0).</param>
    /// <param name="wireLength">what BPF's len loads: the packet's length on the wire.</param>
    /// <param name="context">may be null: context loads then return 0 and emits do nothing.</param>
    public static uint Run(ReadOnlySpan<Instruction> program, byte* packet, uint length, uint wireLength, RunContext* context)
    {
        int steps;
        return Run(program, packet, length, wireLength, context, out steps);
    }

    /// <summary>Also reports how many instructions ran (at most the program's length).</summary>
    public static uint Run(ReadOnlySpan<Instruction> program, byte* packet, uint length, uint wireLength, RunContext* context, out int steps)
    {
        uint a = 0, x = 0;
        uint* mem = stackalloc uint[Opcode.MemoryWords];
        int pc = 0;
        steps = 0;
        while (true)
        {
            Instruction insn = program[pc];
            steps++;
            pc++;
            uint k = insn.K;
            switch (insn.Code)
            {
                case Opcode.Ret | Opcode.RetK: return k;
                case Opcode.Ret | Opcode.RetA: return a;

                case Opcode.Ld | Opcode.W | Opcode.Abs:
                    if (k > length || length - k < 4) return 0;
                    a = Load32(packet + k);
                    break;
                case Opcode.Ld | Opcode.H | Opcode.Abs:
                    if (k > length || length - k < 2) return 0;
                    a = Load16(packet + k);
                    break;
                case Opcode.Ld | Opcode.B | Opcode.Abs:
                    if (k >= length) return 0;
                    a = packet[k];
                    break;
                case Opcode.Ld | Opcode.W | Opcode.Ind:
                    {
                        ulong at = (ulong)x + k;
                        if (at + 4 > length) return 0;
                        a = Load32(packet + at);
                        break;
                    }
                case Opcode.Ld | Opcode.H | Opcode.Ind:
                    {
                        ulong at = (ulong)x + k;
                        if (at + 2 > length) return 0;
                        a = Load16(packet + at);
                        break;
                    }
                case Opcode.Ld | Opcode.B | Opcode.Ind:
                    {
                        ulong at = (ulong)x + k;
                        if (at + 1 > length) return 0;
                        a = packet[at];
                        break;
                    }
                case Opcode.Ldx | Opcode.B | Opcode.Msh:
                    if (k >= length) return 0;
                    x = (uint)(packet[k] & 0xF) << 2;
                    break;
                case Opcode.Ld | Opcode.W | Opcode.Len: a = wireLength; break;
                case Opcode.Ldx | Opcode.W | Opcode.Len: x = wireLength; break;
                case Opcode.Ld | Opcode.W | Opcode.BufLen: a = length; break;
                case Opcode.Ldx | Opcode.W | Opcode.BufLen: x = length; break;
                case Opcode.Ld | Opcode.Imm: a = k; break;
                case Opcode.Ldx | Opcode.Imm: x = k; break;
                case Opcode.Ld | Opcode.Mem: a = mem[k]; break;
                case Opcode.Ldx | Opcode.Mem: x = mem[k]; break;
                case Opcode.St: mem[k] = a; break;
                case Opcode.Stx: mem[k] = x; break;

                case Opcode.Ld | Opcode.W | Opcode.Ctx:
                    if (context == null || (ulong)k + 4 > context->ContextLength) return 0;
                    a = (uint)(context->Context[k] | context->Context[k + 1] << 8 | context->Context[k + 2] << 16 | context->Context[k + 3] << 24);
                    break;
                case Opcode.Ld | Opcode.H | Opcode.Ctx:
                    if (context == null || (ulong)k + 2 > context->ContextLength) return 0;
                    a = (uint)(context->Context[k] | context->Context[k + 1] << 8);
                    break;
                case Opcode.Ld | Opcode.B | Opcode.Ctx:
                    if (context == null || (ulong)k + 1 > context->ContextLength) return 0;
                    a = context->Context[k];
                    break;
                case Opcode.Misc | Opcode.Emit:
                    if (context != null)
                    {
                        uint count = context->EmitCount;
                        if (count < context->EmitCapacity)
                        {
                            EmitRecord* record = context->Emits + count;
                            record->A = a;
                            record->X = x;
                            record->K = k;
                            record->Reserved = 0;
                        }
                        context->EmitCount = count + 1;
                    }
                    break;

                case Opcode.Misc | Opcode.Tax: x = a; break;
                case Opcode.Misc | Opcode.Txa: a = x; break;

                case Opcode.Jmp | Opcode.Ja: pc += (int)k; break;
                case Opcode.Jmp | Opcode.Jeq | Opcode.K: pc += a == k ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jgt | Opcode.K: pc += a > k ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jge | Opcode.K: pc += a >= k ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jset | Opcode.K: pc += (a & k) != 0 ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jeq | Opcode.X: pc += a == x ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jgt | Opcode.X: pc += a > x ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jge | Opcode.X: pc += a >= x ? insn.JumpTrue : insn.JumpFalse; break;
                case Opcode.Jmp | Opcode.Jset | Opcode.X: pc += (a & x) != 0 ? insn.JumpTrue : insn.JumpFalse; break;

                case Opcode.Alu | Opcode.Add | Opcode.K: a += k; break;
                case Opcode.Alu | Opcode.Sub | Opcode.K: a -= k; break;
                case Opcode.Alu | Opcode.Mul | Opcode.K: a *= k; break;
                case Opcode.Alu | Opcode.Div | Opcode.K: a /= k; break;
                case Opcode.Alu | Opcode.Mod | Opcode.K: a %= k; break;
                case Opcode.Alu | Opcode.And | Opcode.K: a &= k; break;
                case Opcode.Alu | Opcode.Or | Opcode.K: a |= k; break;
                case Opcode.Alu | Opcode.Xor | Opcode.K: a ^= k; break;
                case Opcode.Alu | Opcode.Lsh | Opcode.K: a <<= (int)k; break;
                case Opcode.Alu | Opcode.Rsh | Opcode.K: a >>= (int)k; break;
                case Opcode.Alu | Opcode.Add | Opcode.X: a += x; break;
                case Opcode.Alu | Opcode.Sub | Opcode.X: a -= x; break;
                case Opcode.Alu | Opcode.Mul | Opcode.X: a *= x; break;
                case Opcode.Alu | Opcode.Div | Opcode.X:
                    if (x == 0) return 0;
                    a /= x;
                    break;
                case Opcode.Alu | Opcode.Mod | Opcode.X:
                    if (x == 0) return 0;
                    a %= x;
                    break;
                case Opcode.Alu | Opcode.And | Opcode.X: a &= x; break;
                case Opcode.Alu | Opcode.Or | Opcode.X: a |= x; break;
                case Opcode.Alu | Opcode.Xor | Opcode.X: a ^= x; break;
                case Opcode.Alu | Opcode.Lsh | Opcode.X: a = x < 32 ? a << (int)x : 0; break;
                case Opcode.Alu | Opcode.Rsh | Opcode.X: a = x < 32 ? a >> (int)x : 0; break;
                case Opcode.Alu | Opcode.Neg: a = 0 - a; break;
                case Opcode.Alu | Opcode.Swap:
                    a = k == 16
                        ? ((a & 0xFF) << 8) | ((a >> 8) & 0xFF)
                        : (a << 24) | ((a & 0xFF00) << 8) | ((a >> 8) & 0xFF00) | (a >> 24);
                    break;

                default:
                    // Unreachable for verified programs; refuse rather than guess.
                    return 0;
            }
        }
    }

    private static uint Load32(byte* p) => (uint)(p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]);

    private static uint Load16(byte* p) => (uint)(p[0] << 8 | p[1]);
}
