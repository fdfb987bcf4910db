// Base of all attributes. Attributes here are compile-time markers only (no reflection).
namespace System
{
    public abstract class Attribute
    {
    }
}
