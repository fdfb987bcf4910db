// Exits with the status given as its argument (default 42): the machine's exit status,
// and so make's, must be the same.
namespace ExoSharp.Apps
{
    internal static class ExitStatus
    {
        public static int Main(string arguments)
        {
            int status = 0;
            for (int i = 0; i < arguments.Length && arguments[i] >= '0' && arguments[i] <= '9'; i++)
                status = status * 10 + (arguments[i] - '0');
            if (arguments.Length == 0) status = 42;
            System.Console.WriteLine("exit: leaving with status " + status.ToString());
            return status;
        }
    }
}
