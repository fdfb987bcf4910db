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

        /// <summary>The console capability's handle (ConsoleAttach), or 0 outside the first environment.</summary>
        public static ulong Console => Directory == null ? 0 : Directory->Console;

        public static ulong Size(int i) => Directory->Size[i];

        /// <summary>"path args..." as the boot loader gave it.</summary>
        public static string CommandLine(int i) =>
            new string((sbyte*)Directory->CommandLine[i], 0, (int)Directory->CommandLineLength[i]);

        /// <summary>A data module ("HOST file NAME", tools/run.sh --file), not a program to run.</summary>
        public static bool IsFile(int i) => FileName(i) != null;

        /// <summary>A data module's name, or null for a program.</summary>
        public static string FileName(int i)
        {
            string line = CommandLine(i);
            int space = line.IndexOf(' ');
            if (space < 0 || line.Length < space + 6 || line.Substring(space + 1, 5) != "file ") return null;
            return line.Substring(space + 6);
        }

        /// <summary>The index of the data module called name, or -1.</summary>
        public static int FindFile(string name)
        {
            for (int i = 0; i < Count; i++)
                if (FileName(i) == name) return i;
            return -1;
        }
    }
}
