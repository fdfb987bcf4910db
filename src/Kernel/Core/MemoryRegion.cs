// A range of usable RAM from the boot loader's memory map.
namespace ExoSharp.Kernel.Core;

internal struct MemoryRegion
{
    public ulong Address;
    public ulong Length;
}
