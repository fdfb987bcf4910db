// One PT_LOAD segment of a foreign (Linux) binary as the library OS must map it: the bias
// (static-pie) already added, the file part to copy and the rest to zero.
namespace ExoSharp.LibOS.Linux.Loader
{
    public struct LoadSegment
    {
        public ulong Address;
        public ulong MemorySize;
        public ulong FileOffset;
        public ulong FileSize;
        /// <summary>ELF p_flags: 1 execute, 2 write, 4 read.</summary>
        public uint Flags;

        public ulong End => Address + MemorySize;
    }
}
