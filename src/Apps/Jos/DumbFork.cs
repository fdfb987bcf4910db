// JOS lab 4 user/dumbfork: a fork that copies every page eagerly (no copy-on-write), built
// from the raw calls: exofork, frame allocation, mapping into the child and a scratch page.
// Parent and child then take turns printing and yielding.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class DumbFork
    {
        public static int Main(string arguments)
        {
            long who = Process.ForkWith(&Finish);
            if (who < 0)
            {
                System.Console.WriteLine("dumbfork: fork failed: " + who.ToString());
                return 1;
            }
            for (int i = 0; i < (who != 0 ? 10 : 20); i++)
            {
                System.Console.WriteLine(i.ToString() + ": I am the " + (who != 0 ? "parent" : "child") + "!");
                SystemCall.Yield();
            }
            return 0;
        }

        private static long Finish(ulong childRip, ulong childRsp)
        {
            long child = Process.CreateChild(childRip, childRsp);
            if (child < 0) return child;
            CopyRange(child, Startup.ImageStart, Startup.ImageEnd);
            CopyRange(child, Layout.HeapBase, Memory.HeapBreak);
            CopyRange(child, UserLayout.StackTop - UserLayout.StackSize, UserLayout.StackTop);
            long r = Process.Start((ulong)child);
            return r < 0 ? r : child;
        }

        private static void CopyRange(long child, ulong start, ulong end)
        {
            for (ulong page = start; page < end; page += 4096)
            {
                PageInfo info;
                SystemCall.PageQuery(page, &info);
                if (info.Flags != 0) DuplicatePage(child, page, info.Flags & PageFlags.Executable);
            }
        }

        private static void DuplicatePage(long child, ulong page, ulong executable)
        {
            long frame = SystemCall.FrameAlloc();
            SystemCall.PageMap((ulong)child, page, (ulong)frame, PageFlags.Writable | executable);
            SystemCall.PageMap(Capability.Self, Layout.TempPage, (ulong)frame, PageFlags.Writable);
            System.Buffer.MemoryCopy((void*)page, (void*)Layout.TempPage, 4096, 4096);
            SystemCall.PageUnmap(Capability.Self, Layout.TempPage);
            SystemCall.FrameFree((ulong)frame);
        }
    }
}
