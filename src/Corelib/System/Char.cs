// The built-in char type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Char
    {
        private char m_value;
    }
}
