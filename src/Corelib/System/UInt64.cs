// The built-in ulong type. ToString() is decimal (invariant culture); ToString(format) takes
// "D" or "x"/"X" with an optional digit count (for example "x16"); other formats throw.
namespace System
{
    public struct UInt64
    {
        private ulong m_value;

        public const ulong MaxValue = unchecked((ulong)18446744073709551615);
        public const ulong MinValue = unchecked((ulong)0);

        public override string ToString() => Number.Format(unchecked((ulong)(ulong)m_value), 8, false, null);

        public string ToString(string format) => Number.Format(unchecked((ulong)(ulong)m_value), 8, false, format);
    }
}
