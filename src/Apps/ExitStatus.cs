// Exits with the status given as its argument (default 42): the machine's exit status,
// and so make's, must be the same (ExOS passes it on through the machine capability, which
// the first environment holds; first this checks that a status past 126 is refused).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static class ExitStatus
    {
        public static int Main(string arguments)
        {
            int status = (int)Arguments.Number(arguments, int.MaxValue);
            if (arguments.Length == 0) status = 42;
            if (BootModules.Machine != 0)
                System.Console.WriteLine("exit: the machine's status 127 -> " + SystemCall.MachineStatus(BootModules.Machine, 127).ToString() +
                    (SystemCall.MachineStatus(BootModules.Machine, 127) == (long)Error.BadArgument ? " (BadArgument)" : " WRONG"));
            System.Console.WriteLine("exit: leaving with status " + status.ToString());
            return status;
        }
    }
}
