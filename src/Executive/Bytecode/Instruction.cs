// One instruction, laid out exactly as classic BPF's struct bpf_insn (8 bytes: code, jt, jf, k),
// so a libpcap program can be copied in unchanged. Jump offsets count instructions after the
// next one; the verifier proves every target is inside the program.
using System.Runtime.InteropServices;

namespace ExoSharp.Executive.Bytecode;

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct Instruction
{
    [FieldOffset(0)] public ushort Code;
    [FieldOffset(2)] public byte JumpTrue;
    [FieldOffset(3)] public byte JumpFalse;
    [FieldOffset(4)] public uint K;

    public Instruction(ushort code, byte jumpTrue, byte jumpFalse, uint k)
    {
        Code = code;
        JumpTrue = jumpTrue;
        JumpFalse = jumpFalse;
        K = k;
    }

    /// <summary>A non-jump instruction.</summary>
    public static Instruction Statement(ushort code, uint k) => new Instruction(code, 0, 0, k);

    /// <summary>A conditional jump: to next+jumpTrue if the test holds, else to next+jumpFalse.</summary>
    public static Instruction Jump(ushort code, uint k, byte jumpTrue, byte jumpFalse) => new Instruction(code, jumpTrue, jumpFalse, k);
}
