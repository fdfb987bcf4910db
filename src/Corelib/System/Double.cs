// The built-in double type. Only what the compiler needs is here; formatting lives in Number.
namespace System
{
    public struct Double
    {
        private double m_value;
    }
}
