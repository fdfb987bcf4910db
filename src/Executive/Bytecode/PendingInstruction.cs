// One instruction in a ProgramAssembler before layout: jump targets are labels (-1: the next
// instruction), and Expanded marks a conditional jump too far for 8 bits (it becomes three).
namespace ExoSharp.Executive.Bytecode;

internal struct PendingInstruction
{
    public Instruction Insn;
    public int True, False;
    public bool IsJump, IsAlways, Expanded;
}
