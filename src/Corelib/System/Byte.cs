// The built-in byte type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Byte
    {
        private byte m_value;

        public const byte MaxValue = 255;
        public const byte MinValue = 0;
    }
}
