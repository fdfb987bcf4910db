// MissingMethodException, as in .NET.
namespace System
{
    public class MissingMethodException : SystemException
    {
        public MissingMethodException() : base("Attempted to access a missing method.") { }

        public MissingMethodException(string message) : base(message) { }

        public MissingMethodException(string message, Exception innerException) : base(message, innerException) { }
    }
}
