// One record a UDF emitted (its `emit k` instruction): the values of A and X and the constant k;
// for XN's owns() that is (block, count, type). 16 bytes, the executive's EmitRecord layout
// (tests/Executive/AbiLayoutTests.cs checks it).
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct UdfRecord
    {
        [FieldOffset(0)] public uint A;
        [FieldOffset(4)] public uint X;
        [FieldOffset(8)] public uint K;
        [FieldOffset(12)] public uint Reserved;
    }
}
