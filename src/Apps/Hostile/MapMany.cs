// Mapping bookkeeping that cannot miss a mapping: the old kernel counted mappings per
// capability in 32 bits that only grew, and skipped the unmapping when the count read 0, so
// 2^32 mappings later a dropped frame stayed mapped. Now each address space's reverse map
// records every mapped page. This maps one frame at many pages, re-protects each many times
// over (the PageMapOne fast path among them), maps it into a child too, then drops the
// capability: every page must be gone at once, the child's must stay (its own capability),
// and the kernel's self-check must hold.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class MapMany
    {
        private const ulong Base = 0x3000_0000_0000;
        private const int Pages = 600, Rounds = 100;

        public static int Main(string arguments)
        {
            long frame = SystemCall.FrameAlloc();
            if (frame < 0) return 1;
            long maps = 0;
            for (int i = 0; i < Pages; i++)
                if (SystemCall.PageMap(Capability.Self, Base + (ulong)i * 4096, (ulong)frame, PageFlags.Writable) == 1) maps++;
            for (int r = 0; r < Rounds; r++)
                for (int i = 0; i < Pages; i++)
                    if (SystemCall.PageMap(Capability.Self, Base + (ulong)i * 4096, (ulong)frame, (r & 1) != 0 ? PageFlags.Writable : 0) == 1) maps++;
            long child = SystemCall.EnvCreate();
            if (child == 0) SystemCall.Exit(0);                     // never runs: an empty space
            long intoChild = SystemCall.PageMap((ulong)child, Base, (ulong)frame, 0);
            PageInfo info;
            SystemCall.PageQuery(Base, &info);
            ulong number = info.Frame;
            int before = KernelTables.FrameReferences(number);
            long freed = SystemCall.FrameFree((ulong)frame);
            int left = 0;
            for (int i = 0; i < Pages; i++)
            {
                SystemCall.PageQuery(Base + (ulong)i * 4096, &info);
                if (info.Flags != 0) left++;
            }
            int after = KernelTables.FrameReferences(number);
            KernelCheckInfo check;
            long violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("mapmany: " + maps.ToString() + " mappings of one frame at " + Pages.ToString() + " pages, one into a child (" +
                                     intoChild.ToString() + "); references " + before.ToString() + " before FrameFree (" + freed.ToString() + "), " +
                                     after.ToString() + " after; " + left.ToString() + " of our pages still map it; self-check " +
                                     (violations == (long)Error.NoSuchCall ? "off" : violations.ToString() + " violations"));
            SystemCall.EnvDestroy((ulong)child);
            int last = KernelTables.FrameReferences(number);
            System.Console.WriteLine("mapmany: the child destroyed, references " + last.ToString());
            return left == 0 && after == 1 && last == 0 && violations <= 0 ? 0 : 1;
        }
    }
}
