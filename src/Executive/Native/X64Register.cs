// The sixteen general registers by their encoding numbers (low 3 bits in ModRM/SIB, bit 3 in REX).
// None marks a memory operand without an index register.
namespace ExoSharp.Executive.Native;

public enum X64Register
{
    Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7,
    R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
    /// <summary>No register (a memory operand without an index).</summary>
    None = -1,
}
