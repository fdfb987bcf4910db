// A read-only view of an ELF64 x86-64 file in memory: header checks and program headers for a
// loader (the kernel's for the first program, ExOS's Spawn for the rest). Compiled into both
// the kernel and ExOS. Every offset read from
// the file is bounds-checked against its length; a malformed file is refused, not trusted.
namespace ExoSharp.Shared
{
    public readonly unsafe struct ElfImage
    {
        public const uint PtLoad = 1;
        public const uint PfExecute = 1, PfWrite = 2;

        public readonly byte* Data;
        public readonly ulong Length;

        public ElfImage(byte* data, ulong length)
        {
            Data = data;
            Length = length;
        }

        /// <summary>Null when the image is well formed, else why not.</summary>
        public string Validate()
        {
            if (Length < 64) return "shorter than an ELF header";
            if (*(uint*)Data != 0x464C457F) return "not an ELF file";
            if (Data[4] != 2 || Data[5] != 1) return "not ELF64 little-endian";
            if (*(ushort*)(Data + 18) != 0x3E) return "not x86-64";
            if (*(ushort*)(Data + 54) != 56) return "unexpected program header size";
            if (!Within(ProgramHeaderOffset, (ulong)ProgramHeaderCount * 56)) return "program headers outside the file";
            return null;
        }

        public ulong Entry => *(ulong*)(Data + 24);
        private ulong ProgramHeaderOffset => *(ulong*)(Data + 32);
        public int ProgramHeaderCount => *(ushort*)(Data + 56);

        public bool Within(ulong offset, ulong size) => offset <= Length && size <= Length - offset;

        public uint SegmentType(int i) => *(uint*)(Data + ProgramHeaderOffset + (ulong)i * 56);
        public uint SegmentFlags(int i) => *(uint*)(Data + ProgramHeaderOffset + (ulong)i * 56 + 4);
        public ulong SegmentOffset(int i) => *(ulong*)(Data + ProgramHeaderOffset + (ulong)i * 56 + 8);
        public ulong SegmentAddress(int i) => *(ulong*)(Data + ProgramHeaderOffset + (ulong)i * 56 + 16);
        public ulong SegmentFileSize(int i) => *(ulong*)(Data + ProgramHeaderOffset + (ulong)i * 56 + 32);
        public ulong SegmentMemorySize(int i) => *(ulong*)(Data + ProgramHeaderOffset + (ulong)i * 56 + 40);
    }
}
