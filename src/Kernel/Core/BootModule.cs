// A file the boot loader loaded for us (a program, or data a program reads):
// where it is in physical memory and its command line ("path args...").
using ExoSharp.Shared;

namespace ExoSharp.Kernel.Core;

internal struct BootModule
{
    public ulong Start;
    public ulong End;
    public string CommandLine;

    public unsafe ElfImage Image => new ElfImage(Memory.Pointer(Start), End - Start);
}
