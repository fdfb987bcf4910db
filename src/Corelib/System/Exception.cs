// Base of exceptions. Throwing and catching: System/Runtime/ExceptionHandling.cs; one nothing
// catches goes to the platform (the kernel panics, a user program is killed with a trace).
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
