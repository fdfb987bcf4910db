// The boot modules as the kernel shows them to the first environment (Abi.BootDirectory at
// UserLayout.BootModules): where each image is mapped, its size and command line.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class BootModules
    {
        private static BootDirectory* Directory
        {
            get
            {
                PageInfo info;
                SystemCall.PageQuery(UserLayout.BootModules, &info);
                return info.Flags == 0 ? null : (BootDirectory*)UserLayout.BootModules;
            }
        }

        /// <summary>How many there are (0 outside the first environment).</summary>
        public static int Count => Directory == null ? 0 : (int)Directory->Count;

        public static byte* Image(int i) => (byte*)Directory->Address[i];

        /// <summary>The machine capability's handle (MachineStatus), or 0 outside the first environment.</summary>
        public static ulong Machine => Directory == null ? 0 : Directory->Machine;

        public static ulong Size(int i) => Directory->Size[i];

        /// <summary>"path args..." as the boot loader gave it.</summary>
        public static string CommandLine(int i) =>
            new string((sbyte*)Directory->CommandLine[i], 0, (int)Directory->CommandLineLength[i]);
    }
}
