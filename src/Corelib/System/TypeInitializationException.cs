// TypeInitializationException, as in .NET.
namespace System
{
    public class TypeInitializationException : SystemException
    {
        public TypeInitializationException() : base("The type initializer threw an exception.") { }

        public TypeInitializationException(string message) : base(message) { }

        public TypeInitializationException(string message, Exception innerException) : base(message, innerException) { }
    }
}
