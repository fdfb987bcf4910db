// The built-in long type. ToString() is decimal (invariant culture); ToString(format) takes
// "D" or "x"/"X" with an optional digit count (for example "x16"); other formats throw.
namespace System
{
    public struct Int64
    {
        private long m_value;

        public const long MaxValue = unchecked((long)9223372036854775807);
        public const long MinValue = -9223372036854775807L - 1;

        public override string ToString() => Number.Format(unchecked((ulong)(ulong)m_value), 8, true, null);

        public string ToString(string format) => Number.Format(unchecked((ulong)(ulong)m_value), 8, true, format);
    }
}
