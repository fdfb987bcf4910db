// What the kernel keeps of the multiboot information: the memory map and the modules,
// copied out of the first 64 KiB (where QEMU puts the structure) so that those pages can be
// unmapped, making every access below 64 KiB a fault (implicit null checks rely on it).
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal sealed unsafe class BootInfo
    {
        public readonly MemoryRegion[] Memory;
        public readonly BootModule[] Modules;
        public readonly string CommandLine;

        private BootInfo(MemoryRegion[] memory, BootModule[] modules, string commandLine)
        {
            Memory = memory;
            Modules = modules;
            CommandLine = commandLine;
        }

        /// <summary>Copies the structure, then unmaps pages 1-15. Precondition: heap working.</summary>
        public static BootInfo Read(Multiboot boot, ulong* firstPageTable)
        {
            var modules = new BootModule[boot.ModuleCount];
            for (int i = 0; i < modules.Length; i++)
            {
                modules[i].Start = boot.ModuleStart(i);
                modules[i].End = boot.ModuleEnd(i);
                modules[i].CommandLine = CopyString(boot.ModuleCommandLine(i));
            }
            string commandLine = CopyString(boot.CommandLine);
            int count = boot.AvailableRegionCount;
            var memory = new MemoryRegion[count];
            for (int i = 0; i < count; i++) boot.AvailableRegion(i, out memory[i].Address, out memory[i].Length);
            for (ulong page = 1; page < 16; page++)
            {
                firstPageTable[page] = 0;
                Cpu.InvalidatePage(page * 4096);
            }
            return new BootInfo(memory, modules, commandLine);
        }

        private static string CopyString(byte* text)
        {
            int length = 0;
            while (text != null && text[length] != 0 && length < 1024) length++;
            return text == null ? "" : new string((sbyte*)text, 0, length);
        }

        /// <summary>The value of "key=value" on the kernel command line, or null.</summary>
        public string Option(string key)
        {
            string line = " " + CommandLine + " ";
            string probe = " " + key + "=";
            for (int i = 0; i + probe.Length <= line.Length; i++)
            {
                if (line[i] != ' ' || !line.Substring(i).StartsWith(probe)) continue;
                int start = i + probe.Length, end = start;
                while (end < line.Length && line[end] != ' ') end++;
                return line.Substring(start, end - start);
            }
            return null;
        }
    }
}
