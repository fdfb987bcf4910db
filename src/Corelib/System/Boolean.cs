// The built-in bool type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Boolean
    {
        private bool m_value;
    }
}
