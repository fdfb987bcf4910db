// One comparison, DPF's unit: (field & Mask) == Value. Invariant: Value has no bit outside Mask
// (the extractor drops comparisons that could never hold). A filter is an OR of ANDs of atoms.
namespace ExoSharp.Executive.Demux;

public struct Atom
{
    public FieldKey Field;
    public uint Mask;
    public uint Value;

    public Atom(FieldKey field, uint mask, uint value)
    {
        Field = field;
        Mask = mask;
        Value = value;
    }

    /// <summary>Order used to put a conjunction's atoms in canonical form: field, mask, value.</summary>
    public int CompareTo(in Atom other)
    {
        int byField = Field.CompareTo(other.Field);
        if (byField != 0) return byField;
        if (Mask != other.Mask) return Mask < other.Mask ? -1 : 1;
        if (Value != other.Value) return Value < other.Value ? -1 : 1;
        return 0;
    }

    /// <summary>True if no packet satisfies both atoms: they constrain a common byte differently.</summary>
    public bool Contradicts(in Atom other)
    {
        if (!Field.SameBase(other.Field)) return false;
        // Compare byte by byte over the overlap of [Offset, Offset + Size).
        for (uint i = 0; i < Field.Size; i++)
        {
            ulong at = (ulong)Field.Offset + i;
            if (at < other.Field.Offset || at >= (ulong)other.Field.Offset + other.Field.Size) continue;
            uint j = (uint)(at - other.Field.Offset);
            uint shiftA = (uint)(Field.Size - 1 - i) * 8;
            uint shiftB = (uint)(other.Field.Size - 1 - j) * 8;
            uint maskA = (Mask >> (int)shiftA) & 0xFF, valueA = (Value >> (int)shiftA) & 0xFF;
            uint maskB = (other.Mask >> (int)shiftB) & 0xFF, valueB = (other.Value >> (int)shiftB) & 0xFF;
            if (((valueA ^ valueB) & maskA & maskB) != 0) return true;
        }
        return false;
    }
}
