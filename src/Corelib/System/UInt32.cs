// The built-in uint type. ToString() is decimal (invariant culture); ToString(format) takes
// "D" or "x"/"X" with an optional digit count (for example "x16"); other formats throw.
namespace System
{
    public struct UInt32
    {
        private uint m_value;

        public const uint MaxValue = unchecked((uint)4294967295);
        public const uint MinValue = unchecked((uint)0);

        public override string ToString() => Number.Format(unchecked((ulong)(uint)m_value), 4, false, null);

        public string ToString(string format) => Number.Format(unchecked((ulong)(uint)m_value), 4, false, format);
    }
}
