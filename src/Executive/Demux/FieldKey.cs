// Where an atom reads the packet: Size bytes (1, 2 or 4, big-endian) at Offset from the start, or
// (AfterHeader) at Offset past the variable header whose length is 4 * (packet[HeaderOffset] & 0xf),
// the classic IPv4 header-length idiom (BPF's ldxb 4*([k]&0xf) then ld [x+k]).
namespace ExoSharp.Executive.Demux;

public struct FieldKey
{
    public bool AfterHeader;
    public byte Size;
    public uint HeaderOffset;
    public uint Offset;

    public static FieldKey Absolute(uint offset, byte size) => new FieldKey { Size = size, Offset = offset };

    public static FieldKey Indirect(uint headerOffset, uint offset, byte size) =>
        new FieldKey { AfterHeader = true, HeaderOffset = headerOffset, Offset = offset, Size = size };

    public bool SameAs(in FieldKey other) =>
        AfterHeader == other.AfterHeader && Size == other.Size && Offset == other.Offset && (!AfterHeader || HeaderOffset == other.HeaderOffset);

    /// <summary>True when both read relative to the same base (so their bytes can be compared).</summary>
    public bool SameBase(in FieldKey other) => AfterHeader == other.AfterHeader && (!AfterHeader || HeaderOffset == other.HeaderOffset);

    /// <summary>A total order: base, then offset, then size.</summary>
    public int CompareTo(in FieldKey other)
    {
        if (AfterHeader != other.AfterHeader) return AfterHeader ? 1 : -1;
        if (AfterHeader && HeaderOffset != other.HeaderOffset) return HeaderOffset < other.HeaderOffset ? -1 : 1;
        if (Offset != other.Offset) return Offset < other.Offset ? -1 : 1;
        if (Size != other.Size) return Size < other.Size ? -1 : 1;
        return 0;
    }

    /// <summary>All ones over the field's width.</summary>
    public uint FullMask => Size == 4 ? 0xFFFFFFFFu : Size == 2 ? 0xFFFFu : 0xFFu;
}
