// What AtomExtractor knows about A or X on one path: unknown, a (masked) packet field, a constant,
// or the IPv4-style header length 4 * (packet[Value] & 0xf). Pending marks a load whose bounds
// check no atom represents yet.
namespace ExoSharp.Executive.Demux;

internal struct SymbolicRegister
{
    public const int Unknown = 0, Field = 1, Constant = 2, Header = 3;

    public int Kind;
    public FieldKey Key;
    public uint Mask;
    /// <summary>The constant, or the header-length byte's offset.</summary>
    public uint Value;
    public bool Pending;
}
