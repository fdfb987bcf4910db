// Base of all enums. Parsing and formatting by name need metadata and are missing.
namespace System
{
    public abstract class Enum : ValueType
    {
    }
}
