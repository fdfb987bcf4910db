// TypeLoadException, as in .NET.
namespace System
{
    public class TypeLoadException : SystemException
    {
        public TypeLoadException() : base("Failure has occurred while loading a type.") { }

        public TypeLoadException(string message) : base(message) { }

        public TypeLoadException(string message, Exception innerException) : base(message, innerException) { }
    }
}
