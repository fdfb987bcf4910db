// One registered UDF: its verified program, compiled code, the metadata block length it was
// verified against (every context load lies inside it) and its owner (the registering
// environment: the UDF goes when that environment ends). Ids are never reused.
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Kernel.Executive;

internal sealed class Udf
{
    public uint Id;
    public ulong Owner;
    public Instruction[] Program;
    public NativeCode Code;
    public uint BlockLength;
}
