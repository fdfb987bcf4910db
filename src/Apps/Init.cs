// The first environment when several programs are booted (tools/run.sh puts it first):
// spawns each other boot module in turn, waits until no other environment can run any more
// (all ended, or blocked with nobody left to wake them), and exits with the first
// program's exit status (126 if it was killed). The kernel ends the blocked ones at the end.
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
                if (BootModules.IsFile(i)) continue;           // data for a program, not one
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

        /// <summary>Can any other environment still run (runnable, with a slot, not blocked)?</summary>
        private static bool OthersAlive()
        {
            ulong me = Process.Id;
            const ulong CanRun = EnvRecord.Live | EnvRecord.Runnable | EnvRecord.HasSlot;
            const ulong Blocked = EnvRecord.Waiting | EnvRecord.Calling | EnvRecord.Predicate;
            for (ulong i = 1; i < Capability.MaxEnvironments; i++)
            {
                EnvRecord row = ((EnvRecord*)UserLayout.EnvTable)[i];
                if ((row.Status & CanRun) == CanRun && (row.Status & Blocked) == 0 && row.Id != me) return true;
            }
            return false;
        }
    }
}
