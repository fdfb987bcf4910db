// Checks a static Linux x86-64 binary (ET_EXEC, or ET_DYN without an interpreter: static-pie)
// and plans its loading into the foreign region [UserLayout.Base, limit). Every field read is
// bounds-checked; a binary with an interpreter, segments that overlap, run backwards, leave
// the region, or claim more file than there is is refused with a reason, never trusted.
// Segments may share a page only in ascending order (the mapper then gives the page both
// segments' rights). Missing: dynamically linked binaries (no ld.so), PT_GNU_STACK flags.
using ExoSharp.Shared;

namespace ExoSharp.LibOS.Linux.Loader
{
    public static unsafe class ElfLoader
    {
        public const uint PtLoad = 1, PtInterp = 3, PtPhdr = 6, PtTls = 7;
        public const ushort EtExec = 2, EtDyn = 3;
        private const ulong Page = 4096;

        /// <summary>Null and a filled plan, or the reason the binary cannot run. pieBase: where a
        /// static-pie binary goes (page-aligned); low/limit: the foreign region.</summary>
        public static string Plan(byte* data, ulong length, ulong pieBase, ulong low, ulong limit, ElfLoadPlan plan)
        {
            var image = new ElfImage(data, length);
            string invalid = image.Validate();
            if (invalid != null) return invalid;
            ushort type = *(ushort*)(data + 16);
            if (type != EtExec && type != EtDyn) return "not an executable (ELF type " + type.ToString() + ")";
            if (pieBase % Page != 0) return "the base for a position-independent binary is not page-aligned";
            plan.PositionIndependent = type == EtDyn;
            plan.Bias = type == EtDyn ? pieBase : 0;
            plan.SegmentCount = 0;
            plan.ProgramHeaders = 0;
            plan.TlsAddress = plan.TlsFileSize = plan.TlsMemorySize = plan.TlsAlign = 0;
            ulong phdrOffset = *(ulong*)(data + 32);
            plan.ProgramHeaderCount = (ulong)image.ProgramHeaderCount;
            ulong end = 0;
            for (int i = 0; i < image.ProgramHeaderCount; i++)
            {
                uint kind = image.SegmentType(i);
                if (kind == PtInterp) return "dynamically linked (it names an interpreter): only static binaries run";
                ulong address = image.SegmentAddress(i), memory = image.SegmentMemorySize(i);
                ulong offset = image.SegmentOffset(i), file = image.SegmentFileSize(i);
                if (kind == PtPhdr) plan.ProgramHeaders = address + plan.Bias;
                if (kind == PtTls)
                {
                    if (file > memory || !image.Within(offset, file)) return "its TLS template is outside the file";
                    plan.TlsAddress = address + plan.Bias;
                    plan.TlsFileSize = file;
                    plan.TlsMemorySize = memory;
                    plan.TlsAlign = *(ulong*)(data + phdrOffset + (ulong)i * 56 + 48);
                }
                if (kind != PtLoad || memory == 0) continue;
                if (file > memory) return "segment " + i.ToString() + " has more file than memory";
                if (!image.Within(offset, file)) return "segment " + i.ToString() + " lies outside the file";
                if (address % Page != offset % Page) return "segment " + i.ToString() + " is not page-congruent with its file offset";
                ulong start = address + plan.Bias;
                if (start < address || start < low || start > limit || memory > limit - start)
                    return "segment " + i.ToString() + " is outside the foreign region";
                if (start < end) return "segment " + i.ToString() + " overlaps the one before it";
                if (plan.SegmentCount == ElfLoadPlan.MaxSegments) return "more than " + ElfLoadPlan.MaxSegments.ToString() + " loadable segments";
                if (plan.ProgramHeaders == 0 && phdrOffset >= offset && phdrOffset - offset < file)
                    plan.ProgramHeaders = start + (phdrOffset - offset);
                plan.Segments[plan.SegmentCount++] = new LoadSegment
                {
                    Address = start, MemorySize = memory, FileOffset = offset, FileSize = file, Flags = image.SegmentFlags(i),
                };
                end = start + memory;
            }
            if (plan.SegmentCount == 0) return "no loadable segment";
            plan.Break = (end + Page - 1) & ~(Page - 1);
            plan.Entry = image.Entry + plan.Bias;
            bool entryOk = false;
            for (int i = 0; i < plan.SegmentCount; i++)
            {
                LoadSegment s = plan.Segments[i];
                if (plan.Entry >= s.Address && plan.Entry < s.End && (s.Flags & ElfImage.PfExecute) != 0) entryOk = true;
            }
            if (!entryOk) return "its entry point is not in an executable segment";
            return null;
        }
    }
}
