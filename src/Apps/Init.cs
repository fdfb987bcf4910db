// The first environment when several programs are booted (tools/run.sh puts it first):
// spawns each other boot module in turn. An entry whose command line ends in " &" (APP's
// "inet &") runs in the background: init goes on at once. Each other (foreground) entry is
// waited for: until no other environment can run any more (all ended, or blocked with nobody
// left to wake them) while nothing runs in the background, else until that program has ended.
// The last foreground entry gets the console capability (Console.GiveTo, console=parent), so
// it reads what is typed. When a foreground program ran beside background ones, init ends the
// background ones after the last foreground program (the run is over). Init exits with the first foreground program's exit status (126 if
// it was killed). The kernel ends the blocked ones at the end.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class Init
    {
        public static int Main(string arguments)
        {
            int reader = -1;                                   // the last foreground entry
            for (int i = 1; i < BootModules.Count; i++)
                if (!BootModules.IsFile(i) && !Background(BootModules.CommandLine(i))) reader = i;
            int first = -1;
            bool background = false, waitedBehind = false;
            var behindChildren = new long[BootModules.Count];
            int behindCount = 0;
            for (int i = 1; i < BootModules.Count; i++)
            {
                if (BootModules.IsFile(i)) continue;           // data for a program, not one
                string line = BootModules.CommandLine(i);
                bool behind = Background(line);
                if (behind) line = line.Substring(0, line.Length - 2);
                int space = line.IndexOf(' ');
                string programArguments = space < 0 ? "" : line.Substring(space + 1);
                bool console = i == reader && Console.Handle != 0;
                long child = Spawn.Image(BootModules.Image(i), BootModules.Size(i), console ? Startup.ConsoleOption + " " + programArguments : programArguments);
                if (child < 0)
                {
                    System.Console.WriteLine("init: cannot spawn '" + programArguments + "': error " + child.ToString());
                    if (first < 0 && !behind) first = 125;
                    continue;
                }
                if (console)
                {
                    long given = Console.GiveTo((ulong)child);
                    if (given < 0) System.Console.WriteLine("init: cannot give the console to '" + programArguments + "': error " + given.ToString());
                }
                if (behind)
                {
                    background = true;
                    behindChildren[behindCount++] = child;
                    continue;
                }
                ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
                waitedBehind |= background;
                if (background) while (!Ended(id)) Clock.Sleep(WaitTicks);
                else while (OthersAlive()) SystemCall.Yield();
                if (first < 0) first = (int)KernelTables.Environment(id).ExitStatus;
            }
            // The foreground program that ran beside the background ones has ended: so do they.
            if (waitedBehind)
                for (int b = 0; b < behindCount; b++) SystemCall.EnvDestroy((ulong)behindChildren[b]);
            return first < 0 ? 0 : first;
        }

        /// <summary>Timer ticks between looks at a foreground program while others run behind it.</summary>
        private const uint WaitTicks = 2;

        /// <summary>Whether a boot module's command line asks to run in the background (ends in " &").</summary>
        private static bool Background(string line) => line.Length > 2 && line[line.Length - 1] == '&' && line[line.Length - 2] == ' ';

        /// <summary>Has the environment with this id ended (its row reused or marked Ended)?</summary>
        private static bool Ended(ulong id)
        {
            EnvRecord row = KernelTables.Environment(id);
            return row.Id != id || (row.Status & EnvRecord.Live) == 0;
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
