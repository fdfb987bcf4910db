// The `throw` program: throws an exception that nothing catches, so the kernel must kill it
// and name the exception's type and message (a test of the unhandled-exception path).
using System.Runtime.CompilerServices;

namespace ExoSharp.Apps
{
    internal static class Throw
    {
        public static int Main(string arguments)
        {
            ThrowOnPurpose();
            System.Console.WriteLine("throw: still running after the throw");
            return 0;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowOnPurpose() => throw new System.InvalidOperationException("thrown on purpose");
    }
}
