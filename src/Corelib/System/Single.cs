// The built-in float type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Single
    {
        private float m_value;
    }
}
