// ArgumentOutOfRangeException, as in .NET: the message names the parameter.
namespace System
{
    public class ArgumentOutOfRangeException : ArgumentException
    {
        public ArgumentOutOfRangeException() : base("Specified argument was out of the range of valid values.") { }

        public ArgumentOutOfRangeException(string paramName)
            : base(string.Concat("Specified argument was out of the range of valid values. (Parameter '", paramName, "')")) { }

        public ArgumentOutOfRangeException(string paramName, string message) : base(message) { }
    }
}
