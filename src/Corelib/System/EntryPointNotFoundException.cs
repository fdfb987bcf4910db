// EntryPointNotFoundException, as in .NET.
namespace System
{
    public class EntryPointNotFoundException : TypeLoadException
    {
        public EntryPointNotFoundException() : base("Entry point was not found.") { }

        public EntryPointNotFoundException(string message) : base(message) { }

        public EntryPointNotFoundException(string message, Exception innerException) : base(message, innerException) { }
    }
}
