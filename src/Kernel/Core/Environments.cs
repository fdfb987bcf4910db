// Runs the boot modules as environments, one after another, each to its end: exit (with a
// status) or kill (with a console line saying why). The kernel's own image module only
// provides symbols. The first environment's status becomes the machine's exit status.
// Missing: concurrency and scheduling (issue 3 brings the time-slice vector).
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class Environments
    {
        private const long Killed = -1;

        public static Environment Current;
        private static int s_nextId = 1;
        private static ulong s_startTick;

        /// <summary>CPU time an environment may use, in timer ticks; 0 = no limit (kernel
        /// option cpulimit=SECONDS). Until there is a scheduler, this is what stops a
        /// program that never ends.</summary>
        public static ulong TimeLimitTicks;

        public static bool OverTimeLimit() => TimeLimitTicks != 0 && Pit.Ticks - s_startTick > TimeLimitTicks;

        /// <summary>Runs every program module in order; returns the status for PowerOff.</summary>
        public static int RunAll(BootInfo boot, ulong kernelEntry)
        {
            int machineStatus = -1;
            foreach (BootModule module in boot.Modules)
            {
                ElfImage image = module.Image;
                if (image.Validate() == null && image.Entry == kernelEntry) continue;
                int status = Run(image, module.CommandLine);
                if (machineStatus < 0) machineStatus = status;
            }
            if (machineStatus < 0)
            {
                Console.WriteLine("kernel: no program to run (pass one as a boot module)");
                machineStatus = 0;
            }
            return machineStatus;
        }

        private static int Run(ElfImage image, string commandLine)
        {
            // Command line "path name args...": the program sees "name args...".
            int skip = commandLine.IndexOf(' ');
            string arguments = skip < 0 ? "" : commandLine.Substring(skip + 1);
            int nameLength = arguments.IndexOf(' ');
            string name = arguments.Length == 0 ? "program" : nameLength < 0 ? arguments : arguments.Substring(0, nameLength);

            AddressSpace space = AddressSpace.Create();
            var env = new Environment(s_nextId++, name, space, Symbols.From(image));
            if (space == null)
            {
                env.WriteLinePrefix();
                Console.WriteLine("not started: out of memory");
                return PowerOff.StatusKilled;
            }
            string problem = ProgramLoader.Load(image, space, arguments, out UserEntry entry);
            if (problem != null)
            {
                env.WriteLinePrefix();
                Console.Write("not started: ");
                Console.WriteLine(problem);
                space.Destroy();
                return PowerOff.StatusKilled;
            }
            env.WriteLinePrefix();
            Console.WriteLine("started");
            Current = env;
            s_startTick = Pit.Ticks;
            space.Activate();
            long result = UserMode.Enter(&entry);
            Cpu.WriteCr3(Memory.KernelRoot);
            Current = null;
            space.Destroy();
            if (result == Killed) return PowerOff.StatusKilled;
            env.WriteLinePrefix();
            Console.Write("exited with status ");
            Console.WriteDecimal(result);
            Console.Write('\n');
            return result >= 0 && result < PowerOff.StatusKilled ? (int)result : PowerOff.StatusKilled - 1;
        }

        /// <summary>Ends the current environment with a status. Never returns.</summary>
        public static void Exit(long status)
        {
            UserMode.Leave(status < 0 ? 0x7FFF_FFFF : status);
        }

        /// <summary>Call after printing the kill line: ends the current environment. Never returns.</summary>
        public static void EndKilled() => UserMode.Leave(Killed);
    }
}
