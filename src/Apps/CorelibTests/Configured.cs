// A class with an explicit static constructor (so not beforefieldinit): it must run exactly
// once, at the first access to a static field. The side effect on ConstructorLog keeps
// ILCompiler from running it at compile time.
namespace ExoSharp.Apps.CorelibTests
{
    internal static class Configured
    {
        public static int Value;

        static Configured()
        {
            ConstructorLog.Runs++;
            Value = 6 * 7 + ConstructorLog.Runs * 1000;
        }
    }
}
