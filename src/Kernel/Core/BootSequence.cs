// Runs the boot modules as programs, one after another: the kernel loads the first, and when
// no environment is left (or none can ever run again) it loads the next. The kernel's own
// image module only provides symbols. The first environment's exit status becomes the
// machine's. Transitional: once ExOS can spawn from boot modules, only the first is loaded.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static class BootSequence
    {
        private static BootInfo s_boot;
        private static ulong s_kernelEntry;
        private static int s_next;
        private static ulong s_firstId;
        private static int s_machineStatus = -1;

        public static void Initialize(BootInfo boot, ulong kernelEntry)
        {
            s_boot = boot;
            s_kernelEntry = kernelEntry;
        }

        public static void NoteEnd(Environment env, int status)
        {
            if (env.Id == s_firstId && s_machineStatus < 0)
                s_machineStatus = status >= 0 && status < PowerOff.StatusKilled ? status : PowerOff.StatusKilled - 1;
            if (status == EnvTable.StatusKilled && env.Id == s_firstId) s_machineStatus = PowerOff.StatusKilled;
        }

        /// <summary>Called when no environment is runnable. Ends the ones that can never run,
        /// starts the next program, or powers off. Returns only after starting a program.</summary>
        public static void NothingRunnable()
        {
            if (EnvTable.LiveCount > 0)
            {
                Console.Write("kernel: no environment can run; ending the ");
                Console.WriteDecimal((long)EnvTable.LiveCount);
                Console.WriteLine(" that remain");
                EnvTable.DestroyAll();
            }
            while (s_next < s_boot.Modules.Length)
            {
                BootModule module = s_boot.Modules[s_next++];
                ElfImage image = module.Image;
                if (image.Validate() == null && image.Entry == s_kernelEntry) continue;
                Environment env = ProgramLoader.Start(module);
                if (env == null) continue;
                if (s_firstId == 0) s_firstId = env.Id;
                return;
            }
            int status = s_machineStatus < 0 ? 0 : s_machineStatus;
            if (s_firstId == 0) Console.WriteLine("kernel: no program to run (pass one as a boot module)");
            Console.Write("kernel: all environments have ended; powering off with status ");
            Console.WriteDecimal(status);
            Console.Write('\n');
            PowerOff.Exit(status);
        }
    }
}
