// What a run may see besides the packet: the context buffer (context loads read it, little-endian)
// and the output vector for emitted records. Both engines read this same layout; the compiled
// code uses the offsets below. A program that uses neither may be given a null RunContext.
// Precondition: Context holds ContextLength readable bytes; Emits holds EmitCapacity records.
using System.Runtime.InteropServices;

namespace ExoSharp.Executive.Engines;

[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct RunContext
{
    public const int ContextOffset = 0;
    public const int ContextLengthOffset = 8;
    public const int EmitsOffset = 16;
    public const int EmitCapacityOffset = 24;
    public const int EmitCountOffset = 28;

    [FieldOffset(ContextOffset)] public byte* Context;
    [FieldOffset(ContextLengthOffset)] public uint ContextLength;
    [FieldOffset(EmitsOffset)] public EmitRecord* Emits;
    [FieldOffset(EmitCapacityOffset)] public uint EmitCapacity;
    /// <summary>Emits executed; records past EmitCapacity were dropped (count still rises).</summary>
    [FieldOffset(EmitCountOffset)] public uint EmitCount;
}
