// Condition codes as x86 encodes them in Jcc (0F 80+cc) and CMOVcc (0F 40+cc); unsigned forms only,
// since BPF compares unsigned. Flipping bit 0 negates a condition.
namespace ExoSharp.Executive.Native;

public enum X64Condition
{
    Below = 0x2, AboveOrEqual = 0x3, Equal = 0x4, NotEqual = 0x5,
    BelowOrEqual = 0x6, Above = 0x7,
}
