// The built-in char type (UTF-16 code unit).
namespace System
{
    public struct Char
    {
        private char m_value;

        public override unsafe string ToString()
        {
            char c = m_value;
            return new string(&c, 0, 1);
        }
    }
}
