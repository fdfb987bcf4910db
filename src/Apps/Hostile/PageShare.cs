// PageShare attacked and checked: forged and weak environment handles, the caller itself,
// unaligned, kernel, window and wrapping ranges, marks outside the available bits each get
// their error; a share makes a writable page read-only with the mark in the caller, leaves a
// read-only page as it was, counts one reference per frame in the child, and stops after
// Capability.SharePerCall pages a call (the wrapper continues). The self-check agrees.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class PageShare
    {
        private const ulong Base = 0x3200_0000_0000, Wide = 0x3300_0000_0000;
        private const int WidePages = 300;
        private static bool s_ok = true;

        private static void Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            s_ok &= ok;
            System.Console.WriteLine("pageshare: " + what + " -> " + result.ToString() + (ok ? " ok" : " WRONG"));
        }

        public static int Main(string arguments)
        {
            long child = SystemCall.EnvCreate();
            if (child == 0) SystemCall.Exit(0);                     // never runs: it is never made runnable
            long weak = SystemCall.CapMint((ulong)child, CapabilityRights.Call, 0);
            long a = SystemCall.FrameAlloc(), b = SystemCall.FrameAlloc(), c = SystemCall.FrameAlloc();
            SystemCall.PageMap(Capability.Self, Base, (ulong)a, PageFlags.Writable);
            SystemCall.PageMap(Capability.Self, Base + 4096, (ulong)b, 0);
            SystemCall.PageMap(Capability.Self, Base + 3 * 4096, (ulong)c, PageFlags.CopyOnWrite);

            Expect("share with a forged environment handle", SystemCall.PageShareOnce(0x1234_5678, Base, 4, PageFlags.CopyOnWrite), (long)Error.BadHandle);
            Expect("share with a frame handle as the environment", SystemCall.PageShareOnce((ulong)a, Base, 4, PageFlags.CopyOnWrite), (long)Error.BadHandle);
            Expect("share through a capability without Control", SystemCall.PageShareOnce((ulong)weak, Base, 4, PageFlags.CopyOnWrite), (long)Error.NoRights);
            Expect("share into itself", SystemCall.PageShareOnce(Capability.Self, Base, 4, PageFlags.CopyOnWrite), (long)Error.BadArgument);
            Expect("share from an unaligned address", SystemCall.PageShareOnce((ulong)child, Base + 8, 4, PageFlags.CopyOnWrite), (long)Error.BadArgument);
            Expect("share with the writable bit as the mark", SystemCall.PageShareOnce((ulong)child, Base, 4, PageFlags.Writable), (long)Error.BadArgument);
            Expect("share with an unknown mark bit", SystemCall.PageShareOnce((ulong)child, Base, 4, 1UL << 40), (long)Error.BadArgument);
            Expect("share kernel space", SystemCall.PageShareOnce((ulong)child, 0xFFFF_8000_0000_0000, 4, 0), (long)Error.BadAddress);
            Expect("share a range that ends past user space", SystemCall.PageShareOnce((ulong)child, UserLayout.End - 4096, 2, 0), (long)Error.BadAddress);
            Expect("share the kernel's windows", SystemCall.PageShareOnce((ulong)child, UserLayout.WindowsStart - 4096, 2, 0), (long)Error.BadAddress);
            Expect("share a range whose length wraps", SystemCall.PageShareOnce((ulong)child, Base, ulong.MaxValue / 4096 + 2, 0), (long)Error.BadAddress);
            Expect("share page 0", SystemCall.PageShareOnce((ulong)child, 0, 1, 0), (long)Error.BadAddress);

            // Writable A, read-only B, nothing, read-only C carrying the mark.
            ulong fa = Frame(Base), fb = Frame(Base + 4096), fc = Frame(Base + 3 * 4096);
            long shared = SystemCall.PageShareOnce((ulong)child, Base, 4, PageFlags.CopyOnWrite);
            ulong ea = KernelTables.PageEntry(Base), eb = KernelTables.PageEntry(Base + 4096), ec = KernelTables.PageEntry(Base + 3 * 4096);
            bool aOk = (ea & PageFlags.Writable) == 0 && (ea & PageFlags.CopyOnWrite) != 0;
            bool bOk = (eb & PageFlags.Writable) == 0 && (eb & PageFlags.CopyOnWrite) == 0;
            bool cOk = (ec & PageFlags.Writable) == 0 && (ec & PageFlags.CopyOnWrite) != 0;
            int ra = KernelTables.FrameReferences(fa), rb = KernelTables.FrameReferences(fb), rc = KernelTables.FrameReferences(fc);
            KernelCheckInfo check;
            long violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("pageshare: 4 pages shared (" + shared.ToString() + "): the writable one read-only copy-on-write here " + Word(aOk) +
                                     ", the read-only one as it was " + Word(bOk) + ", the marked one as it was " + Word(cOk) + "; references " +
                                     ra.ToString() + " " + rb.ToString() + " " + rc.ToString() + "; self-check " + Check(violations));
            s_ok &= shared == 0 && aOk && bOk && cOk && ra == 2 && rb == 2 && rc == 2 && violations <= 0;

            // One frame at 300 pages: a call stops after SharePerCall pages; the wrapper goes on.
            long d = SystemCall.FrameAlloc();
            ulong* handles = stackalloc ulong[WidePages];
            for (int i = 0; i < WidePages; i++) handles[i] = (ulong)d;
            SystemCall.PageMapRange(Capability.Self, Wide, WidePages, handles, PageFlags.Writable);
            ulong fd = Frame(Wide);
            long once = SystemCall.PageShareOnce((ulong)child, Wide, WidePages, PageFlags.CopyOnWrite);
            long rest = SystemCall.PageShare((ulong)child, Wide, WidePages, PageFlags.CopyOnWrite);
            int readOnly = 0;
            for (int i = 0; i < WidePages; i++)
            {
                ulong e = KernelTables.PageEntry(Wide + (ulong)i * 4096);
                if ((e & PageFlags.Writable) == 0 && (e & PageFlags.CopyOnWrite) != 0) readOnly++;
            }
            int rd = KernelTables.FrameReferences(fd);
            violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("pageshare: one frame at " + WidePages.ToString() + " pages: one call went through " + once.ToString() + " pages, the wrapper " +
                                     rest.ToString() + "; " + readOnly.ToString() + " pages copy-on-write here; references " + rd.ToString() + "; self-check " + Check(violations));
            s_ok &= once == (long)Capability.SharePerCall && rest == 0 && readOnly == WidePages && rd == 2 && violations <= 0;

            SystemCall.EnvDestroy((ulong)child);
            SystemCall.Yield();         // the ended child's table goes over the next steps
            for (int i = 0; i < 100 && KernelTables.FrameReferences(fd) != 1; i++) SystemCall.Yield();
            int la = KernelTables.FrameReferences(fa), ld = KernelTables.FrameReferences(fd);
            violations = SystemCall.KernelCheck(&check);
            System.Console.WriteLine("pageshare: after the child's end references " + la.ToString() + " " + ld.ToString() + "; self-check " + Check(violations));
            s_ok &= la == 1 && ld == 1 && violations <= 0;
            return s_ok ? 0 : 1;
        }

        private static ulong Frame(ulong page)
        {
            PageInfo info;
            SystemCall.PageQuery(page, &info);
            return info.Flags != 0 ? info.Frame : 0;
        }

        private static string Word(bool ok) => ok ? "yes" : "NO";

        private static string Check(long violations) => violations == (long)Error.NoSuchCall ? "off" : violations.ToString() + " violations";
    }
}
