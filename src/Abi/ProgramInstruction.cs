// One instruction of a downloaded program (packet filter, UDF, wakeup predicate) as user space
// hands it to the kernel: classic BPF's struct bpf_insn, 8 bytes, so `tcpdump -dd` output
// copies in unchanged. tests/Executive/AbiLayoutTests.cs checks that this is the executive's own
// Instruction layout (the kernel casts one to the other). docs/executive.md lists the codes.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    public struct ProgramInstruction
    {
        [FieldOffset(0)] public ushort Code;
        /// <summary>Conditional jumps: instructions to skip after the next one when the test holds / fails.</summary>
        [FieldOffset(2)] public byte JumpTrue;
        [FieldOffset(3)] public byte JumpFalse;
        [FieldOffset(4)] public uint K;

        public ProgramInstruction(ushort code, byte jumpTrue, byte jumpFalse, uint k)
        {
            Code = code;
            JumpTrue = jumpTrue;
            JumpFalse = jumpFalse;
            K = k;
        }
    }
}
