// One record appended by the emit extension: the values of A and X and the instruction's k.
// 16 bytes so the compiled code indexes the vector with a shift; layout is fixed (Explicit)
// because machine code writes it.
using System.Runtime.InteropServices;

namespace ExoSharp.Executive.Engines;

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct EmitRecord
{
    [FieldOffset(0)] public uint A;
    [FieldOffset(4)] public uint X;
    [FieldOffset(8)] public uint K;
    [FieldOffset(12)] public uint Reserved;
}
