// What ElfLoader found in a static Linux binary: its segments (sorted, non-overlapping, inside
// the foreign region), entry point, program headers' address (for AT_PHDR), the TLS template
// and where the break (brk) starts. Built once per exec; holds no pointer into the file.
namespace ExoSharp.LibOS.Linux.Loader
{
    public sealed class ElfLoadPlan
    {
        public const int MaxSegments = 16;

        public readonly LoadSegment[] Segments = new LoadSegment[MaxSegments];
        public int SegmentCount;
        /// <summary>0 for ET_EXEC; the chosen base for a static-pie (ET_DYN) binary.</summary>
        public ulong Bias;
        public ulong Entry;
        public ulong ProgramHeaders;
        public ulong ProgramHeaderCount;
        /// <summary>First page after the highest segment: the initial program break.</summary>
        public ulong Break;
        public ulong TlsAddress, TlsFileSize, TlsMemorySize, TlsAlign;
        public bool PositionIndependent;
    }
}
