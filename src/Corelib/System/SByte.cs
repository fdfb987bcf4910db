// The built-in sbyte type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct SByte
    {
        private sbyte m_value;

        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;
    }
}
