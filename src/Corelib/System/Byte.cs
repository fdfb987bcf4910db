// The built-in byte type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Byte
    {
        private byte m_value;
    }
}
