// The built-in ushort type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct UInt16
    {
        private ushort m_value;

        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;
    }
}
