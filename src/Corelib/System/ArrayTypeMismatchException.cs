// ArrayTypeMismatchException, as in .NET.
namespace System
{
    public class ArrayTypeMismatchException : SystemException
    {
        public ArrayTypeMismatchException() : base("Attempted to access an element as a type incompatible with the array.") { }

        public ArrayTypeMismatchException(string message) : base(message) { }

        public ArrayTypeMismatchException(string message, Exception innerException) : base(message, innerException) { }
    }
}
