// Counts runs of Configured's static constructor.
namespace ExoSharp.Apps.CorelibTests
{
    internal static class ConstructorLog
    {
        public static int Runs;
    }
}
