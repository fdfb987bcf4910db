// The page at UserLayout.BootModules in the first environment: the boot modules the kernel
// did not run itself (the first program included, entry 0), for a library OS to spawn.
// Each module is mapped read-only; the first environment holds read-only capabilities for
// its frames, so it can pass them on. Command lines are "path args..." in ASCII. Machine is
// the first environment's handle for the machine capability (MachineStatus); Console its
// handle for the console capability (ConsoleAttach).
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct BootDirectory
    {
        public const int MaxModules = 32;

        public ulong Count;
        public fixed ulong Address[MaxModules];
        public fixed ulong Size[MaxModules];
        /// <summary>Where the module's command line is (in this page) and its length.</summary>
        public fixed ulong CommandLine[MaxModules];
        public fixed ulong CommandLineLength[MaxModules];
        public ulong Machine;
        public ulong Console;
    }
}
