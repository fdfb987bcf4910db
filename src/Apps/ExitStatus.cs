// Exits with the status given as its argument (default 42): the machine's exit status,
// and so make's, must be the same.
namespace ExoSharp.Apps
{
    internal static class ExitStatus
    {
        public static int Main(string arguments)
        {
            int status = (int)Arguments.Number(arguments, int.MaxValue);
            if (arguments.Length == 0) status = 42;
            System.Console.WriteLine("exit: leaving with status " + status.ToString());
            return status;
        }
    }
}
