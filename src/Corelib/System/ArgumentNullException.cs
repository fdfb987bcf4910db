// ArgumentNullException, as in .NET: the message names the parameter.
namespace System
{
    public class ArgumentNullException : ArgumentException
    {
        public ArgumentNullException() : base("Value cannot be null.") { }

        public ArgumentNullException(string paramName) : base(string.Concat("Value cannot be null. (Parameter '", paramName, "')")) { }

        public ArgumentNullException(string paramName, string message) : base(message) { }

        public static void ThrowIfNull(object argument, string paramName = null)
        {
            if (argument is null) throw new ArgumentNullException(paramName);
        }
    }
}
