// The one walk over an ELF image's loadable segments, for the kernel's loader and ExOS's
// Spawn: every PT_LOAD segment must lie in the file (its file size within its memory size) and
// where the target allows it; then, page by page, its file bytes are copied into the memory the
// target gives (IElfPages), the rest of each page left as the target gave it (zero).
namespace ExoSharp.Shared
{
    public static unsafe class ElfLoader
    {
        /// <summary>Null when every segment is loaded, else why not. Precondition: image.Validate() is null.</summary>
        public static string Load(ElfImage image, IElfPages pages)
        {
            for (int i = 0; i < image.ProgramHeaderCount; i++)
            {
                if (image.SegmentType(i) != ElfImage.PtLoad) continue;
                ulong address = image.SegmentAddress(i), memorySize = image.SegmentMemorySize(i);
                ulong fileSize = image.SegmentFileSize(i), offset = image.SegmentOffset(i);
                if (memorySize == 0) continue;
                if (fileSize > memorySize || !image.Within(offset, fileSize)) return "segment outside the file";
                if (!pages.Fits(address, memorySize)) return "segment outside user space";
                bool writable = (image.SegmentFlags(i) & ElfImage.PfWrite) != 0;
                bool executable = (image.SegmentFlags(i) & ElfImage.PfExecute) != 0;
                for (ulong page = address & ~4095UL; page < address + memorySize; page += 4096)
                {
                    byte* memory = pages.Begin(page, writable, executable);
                    if (memory == null) return "out of memory for the image";
                    ulong from = page > address ? page : address;
                    ulong to = page + 4096 < address + fileSize ? page + 4096 : address + fileSize;
                    for (ulong a = from; a < to; a++) memory[a - page] = image.Data[offset + (a - address)];
                    if (!pages.End(page)) return "out of memory for the image";
                }
            }
            return null;
        }
    }
}
