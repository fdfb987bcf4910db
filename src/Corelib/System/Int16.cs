// The built-in short type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Int16
    {
        private short m_value;

        public const short MaxValue = 32767;
        public const short MinValue = -32768;
    }
}
