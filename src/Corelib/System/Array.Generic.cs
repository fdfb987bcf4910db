// System.Array<T>: the compiler's base for T[] when it needs a generic array type.
namespace System
{
    public class Array<T> : Array
    {
    }
}
