// The built-in int type. ToString() is decimal (invariant culture); ToString(format) takes
// "D" or "x"/"X" with an optional digit count (for example "x16"); other formats throw.
namespace System
{
    public struct Int32
    {
        private int m_value;

        public const int MaxValue = unchecked((int)2147483647);
        public const int MinValue = unchecked((int)-2147483648);

        public override string ToString() => Number.Format(unchecked((ulong)(uint)m_value), 4, true, null);

        public string ToString(string format) => Number.Format(unchecked((ulong)(uint)m_value), 4, true, format);
    }
}
