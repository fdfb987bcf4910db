// Reads the multiboot (v1) information structure in place: the memory map and the boot
// modules with their command lines. BootInfo copies what the kernel keeps.
namespace ExoSharp.Kernel.Core;

internal readonly unsafe struct Multiboot
{
    public const uint BootloaderMagic = 0x2BADB002;
    private const uint FlagCommandLine = 1 << 2;
    private const uint FlagModules = 1 << 3;
    private const uint FlagMemoryMap = 1 << 6;

    private readonly byte* _info;

    /// <param name="info">The structure, through the direct map (its pointers are physical).</param>
    public Multiboot(byte* info) { _info = info; }

    private static byte* At(uint physicalAddress) => physicalAddress == 0 ? null : Memory.Pointer(physicalAddress);

    private uint Flags => *(uint*)_info;

    /// <summary>The kernel's command line (NUL-terminated), or null.</summary>
    public byte* CommandLine => (Flags & FlagCommandLine) != 0 ? At(*(uint*)(_info + 16)) : null;

    public int ModuleCount => (Flags & FlagModules) != 0 ? (int)*(uint*)(_info + 20) : 0;

    private byte* Module(int i) => At(*(uint*)(_info + 24)) + i * 16;

    public ulong ModuleStart(int i) => *(uint*)Module(i);
    public ulong ModuleEnd(int i) => *(uint*)(Module(i) + 4);
    public byte* ModuleCommandLine(int i) => At(*(uint*)(Module(i) + 8));

    public bool HasMemoryMap => (Flags & FlagMemoryMap) != 0;

    private byte* MapEntry(int n)
    {
        byte* entry = At(*(uint*)(_info + 48));
        byte* end = entry + *(uint*)(_info + 44);
        for (int i = 0; entry < end; entry += *(uint*)entry + 4)
        {
            if (*(uint*)(entry + 20) != 1) continue;
            if (i++ == n) return entry;
        }
        return null;
    }

    /// <summary>The number of usable-RAM entries in the memory map.</summary>
    public int AvailableRegionCount
    {
        get
        {
            int n = 0;
            while (HasMemoryMap && MapEntry(n) != null) n++;
            return n;
        }
    }

    public void AvailableRegion(int n, out ulong address, out ulong length)
    {
        byte* entry = MapEntry(n);
        address = *(ulong*)(entry + 4);
        length = *(ulong*)(entry + 12);
    }
}
