// PageMapRange keeps the same books as PageMap: every page it maps is recorded in the target's
// reverse map, so dropping the frame's capability unmaps every such page, a range mapping over a
// page that maps another frame moves that page's record, and a grant into another environment
// counts a reference. A kernel that wrote the entries behind the reverse map's back left a freed
// frame mapped writable, or panicked when the replaced frame was dropped.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class MapRange
    {
        private const ulong Base = 0x3100_0000_0000;
        private const int Pages = 8;

        public static int Main(string arguments)
        {
            ulong* handles = stackalloc ulong[Pages];
            KernelCheckInfo check;
            bool ok = true;

            // A frame at eight pages by one range, then its capability dropped.
            long f = SystemCall.FrameAlloc();
            for (int i = 0; i < Pages; i++) handles[i] = (ulong)f;
            long mapped = SystemCall.PageMapRange(Capability.Self, Base, Pages, handles, PageFlags.Writable);
            ulong number = FrameAt(Base);
            long freed = SystemCall.FrameFree((ulong)f);
            int left = Mapping(Base, Pages, number);
            long violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("maprange: one frame at " + mapped.ToString() + " pages by PageMapRange; FrameFree " + freed.ToString() + "; " +
                                     left.ToString() + " pages still map it; references " + KernelTables.FrameReferences(number).ToString() + "; self-check " + Check(violations));
            ok &= mapped == Pages && freed == 0 && left == 0 && KernelTables.FrameReferences(number) == 0 && violations <= 0;

            // Frame A by PageMap, frame B over it by PageMapRange, then A dropped, then B.
            long a = SystemCall.FrameAlloc(), b = SystemCall.FrameAlloc();
            long mapA = SystemCall.PageMap(Capability.Self, Base, (ulong)a, PageFlags.Writable);
            ulong frameA = FrameAt(Base);
            handles[0] = (ulong)b;
            long mapB = SystemCall.PageMapRange(Capability.Self, Base, 1, handles, PageFlags.Writable);
            ulong frameB = FrameAt(Base);
            long freeA = SystemCall.FrameFree((ulong)a);
            ulong afterA = FrameAt(Base);
            long freeB = SystemCall.FrameFree((ulong)b);
            ulong afterB = FrameAt(Base);
            violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("maprange: A by PageMap (" + mapA.ToString() + "), B over it by PageMapRange (" + mapB.ToString() + "): the page maps " +
                                     (frameB == frameA ? "A still" : "B") + "; FrameFree A " + freeA.ToString() + ", the page maps " + (afterA == frameB ? "B" : afterA.ToString()) +
                                     "; FrameFree B " + freeB.ToString() + ", the page maps " + (afterB == 0 ? "nothing" : afterB.ToString()) + "; self-check " + Check(violations));
            ok &= mapA == 1 && mapB == 1 && frameB != frameA && freeA == 0 && afterA == frameB && freeB == 0 && afterB == 0 && violations <= 0;

            // A range into a child: the child holds a reference of its own.
            long g = SystemCall.FrameAlloc();
            long child = SystemCall.EnvCreate();
            if (child == 0) SystemCall.Exit(0);                     // never runs: an empty space
            for (int i = 0; i < 4; i++) handles[i] = (ulong)g;
            long intoChild = SystemCall.PageMapRange((ulong)child, Base, 4, handles, 0);
            SystemCall.PageMap(Capability.Self, Base, (ulong)g, 0);
            ulong frameG = FrameAt(Base);
            int before = KernelTables.FrameReferences(frameG);
            long freeG = SystemCall.FrameFree((ulong)g);
            int after = KernelTables.FrameReferences(frameG);
            SystemCall.EnvDestroy((ulong)child);
            int last = KernelTables.FrameReferences(frameG);
            violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("maprange: a frame at 4 pages of a child by PageMapRange (" + intoChild.ToString() + "): references " + before.ToString() +
                                     ", after our FrameFree (" + freeG.ToString() + ") " + after.ToString() + ", after the child's end " + last.ToString() +
                                     "; self-check " + Check(violations));
            ok &= intoChild == 4 && before == 2 && freeG == 0 && after == 1 && last == 0 && violations <= 0;
            return ok ? 0 : 1;
        }

        private static ulong FrameAt(ulong page)
        {
            PageInfo info;
            SystemCall.PageQuery(page, &info);
            return info.Flags != 0 ? info.Frame : 0;
        }

        private static int Mapping(ulong start, int pages, ulong frame)
        {
            int n = 0;
            for (int i = 0; i < pages; i++) if (FrameAt(start + (ulong)i * 4096) == frame) n++;
            return n;
        }

        private static string Check(long violations) => violations == (long)Error.NoSuchCall ? "off" : violations.ToString() + " violations";
    }
}
