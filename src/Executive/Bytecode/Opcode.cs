// The opcode fields of classic BPF (class, size, mode, operation, source) and the few extension
// codes of ExoSharp's executive, all in one place. The extensions use combinations that classic
// BPF leaves undefined, so no libpcap program can contain them by accident (docs/executive.md).
namespace ExoSharp.Executive.Bytecode;

public static class Opcode
{
    // Instruction classes (code & 0x07).
    public const ushort Ld = 0x00;
    public const ushort Ldx = 0x01;
    public const ushort St = 0x02;
    public const ushort Stx = 0x03;
    public const ushort Alu = 0x04;
    public const ushort Jmp = 0x05;
    public const ushort Ret = 0x06;
    public const ushort Misc = 0x07;

    // Load sizes (code & 0x18).
    public const ushort W = 0x00;
    public const ushort H = 0x08;
    public const ushort B = 0x10;

    // Load modes (code & 0xe0).
    public const ushort Imm = 0x00;
    public const ushort Abs = 0x20;
    public const ushort Ind = 0x40;
    public const ushort Mem = 0x60;
    public const ushort Len = 0x80;
    public const ushort Msh = 0xa0;
    /// <summary>Extension: little-endian load from the context buffer at constant offset k.</summary>
    public const ushort Ctx = 0xc0;
    /// <summary>Extension: the captured buffer's length (BPF's len is the length on the wire).</summary>
    public const ushort BufLen = 0xe0;

    // ALU operations and jump tests (code & 0xf0).
    public const ushort Add = 0x00;
    public const ushort Sub = 0x10;
    public const ushort Mul = 0x20;
    public const ushort Div = 0x30;
    public const ushort Or = 0x40;
    public const ushort And = 0x50;
    public const ushort Lsh = 0x60;
    public const ushort Rsh = 0x70;
    public const ushort Neg = 0x80;
    public const ushort Mod = 0x90;
    public const ushort Xor = 0xa0;
    /// <summary>Extension: byte swap of A, k = 16 (low half, zero-extended) or 32.</summary>
    public const ushort Swap = 0xd0;

    public const ushort Ja = 0x00;
    public const ushort Jeq = 0x10;
    public const ushort Jgt = 0x20;
    public const ushort Jge = 0x30;
    public const ushort Jset = 0x40;

    // Operand source (code & 0x08) and return value (code & 0x18).
    public const ushort K = 0x00;
    public const ushort X = 0x08;
    public const ushort RetK = 0x00;
    public const ushort RetA = 0x10;

    // Miscellaneous operations (code & 0xf8).
    public const ushort Tax = 0x00;
    public const ushort Txa = 0x80;
    /// <summary>Extension: append the record (A, X, k) to the caller's output vector.</summary>
    public const ushort Emit = 0x50;

    /// <summary>Scratch memory words M[0..15], as in classic BPF.</summary>
    public const int MemoryWords = 16;

    public static int Class(ushort code) => code & 0x07;
    public static int Size(ushort code) => code & 0x18;
    public static int Mode(ushort code) => code & 0xe0;
    public static int Operation(ushort code) => code & 0xf0;
    public static int Source(ushort code) => code & 0x08;

    /// <summary>Bytes a load of this size reads: 4, 2 or 1.</summary>
    public static uint SizeBytes(ushort code) => (code & 0x18) == W ? 4u : (code & 0x18) == H ? 2u : 1u;
}
