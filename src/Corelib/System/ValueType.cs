// Base of all structs. Equality and hashing by value are not provided (no reflection).
namespace System
{
    public abstract class ValueType
    {
    }
}
