// What the kernel keeps of the multiboot information: the memory map, the modules and the
// kernel command line, copied into kernel objects once at boot.

namespace ExoSharp.Kernel.Core;

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

    /// <summary>Copies the structure. Precondition: the heap works.</summary>
    public static BootInfo Read(Multiboot boot)
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
