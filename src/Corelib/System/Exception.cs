// Base of exceptions. There is no catch yet: a throw ends in RuntimeExports.ThrowException,
// which hands the exception to the platform (the kernel panics, a user program is killed).
namespace System
{
    public class Exception
    {
        private readonly string _message;
        private readonly Exception _innerException;

        public Exception() { }

        public Exception(string message) { _message = message; }

        public Exception(string message, Exception innerException)
        {
            _message = message;
            _innerException = innerException;
        }

        public virtual string Message => _message ?? "Exception of type 'System.Exception' was thrown.";

        public Exception InnerException => _innerException;
    }
}
