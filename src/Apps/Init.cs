// The first environment when several programs are booted (tools/run.sh puts it first):
// spawns each other boot module in turn, waits until every environment but itself has
// ended, and exits with the first program's exit status (126 if it was killed).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class Init
    {
        public static int Main(string arguments)
        {
            int first = -1;
            for (int i = 1; i < BootModules.Count; i++)
            {
                string line = BootModules.CommandLine(i);
                int space = line.IndexOf(' ');
                string programArguments = space < 0 ? "" : line.Substring(space + 1);
                long child = Spawn.Image(BootModules.Image(i), BootModules.Size(i), programArguments);
                if (child < 0)
                {
                    System.Console.WriteLine("init: cannot spawn '" + programArguments + "': error " + child.ToString());
                    if (first < 0) first = 125;
                    continue;
                }
                ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
                while (OthersAlive()) SystemCall.Yield();
                if (first < 0) first = (int)KernelTables.Environment(id).ExitStatus;
            }
            return first < 0 ? 0 : first;
        }

        private static bool OthersAlive()
        {
            ulong me = Process.Id;
            for (ulong i = 1; i < Capability.MaxEnvironments; i++)
            {
                EnvRecord row = ((EnvRecord*)UserLayout.EnvTable)[i];
                if ((row.Status & EnvRecord.Live) != 0 && row.Id != me) return true;
            }
            return false;
        }
    }
}
