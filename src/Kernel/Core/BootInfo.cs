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

        private BootInfo(MemoryRegion[] memory, BootModule[] modules)
        {
            Memory = memory;
            Modules = modules;
        }

        /// <summary>Copies the structure, then unmaps pages 1-15. Precondition: heap working.</summary>
        public static BootInfo Read(Multiboot boot, ulong* firstPageTable)
        {
            var modules = new BootModule[boot.ModuleCount];
            for (int i = 0; i < modules.Length; i++)
            {
                byte* line = boot.ModuleCommandLine(i);
                int length = 0;
                while (line != null && line[length] != 0 && length < 1024) length++;
                modules[i].Start = boot.ModuleStart(i);
                modules[i].End = boot.ModuleEnd(i);
                modules[i].CommandLine = line == null ? "" : new string((sbyte*)line, 0, length);
            }
            int count = boot.AvailableRegionCount;
            var memory = new MemoryRegion[count];
            for (int i = 0; i < count; i++) boot.AvailableRegion(i, out memory[i].Address, out memory[i].Length);
            for (ulong page = 1; page < 16; page++)
            {
                firstPageTable[page] = 0;
                Cpu.InvalidatePage(page * 4096);
            }
            return new BootInfo(memory, modules);
        }
    }
}
