// Pages for the program: one fresh page at an address (JOS's sys_page_alloc), and the heap's
// supply (ExoSharpMoreCore), which maps new frames at the heap break in batches. Frames are
// held through capabilities the kernel gives out (FrameAlloc); nothing here is shared.
using System.Runtime;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Memory
    {
        private const ulong PageSize = 4096;
        private static ulong s_heapBreak = Layout.HeapBase;

        /// <summary>The end of the heap's mapped pages (fork copies [HeapBase, HeapBreak)).</summary>
        public static ulong HeapBreak => s_heapBreak;

        /// <summary>Maps a fresh zeroed frame at a page; 0 or a negative Abi.Error.</summary>
        public static long AllocatePage(ulong address, ulong flags = PageFlags.Writable)
        {
            long frame = SystemCall.FrameAlloc();
            if (frame < 0) return frame;
            long result = SystemCall.PageMap(Capability.Self, address & ~(PageSize - 1), (ulong)frame, flags);
            if (result < 0)
            {
                SystemCall.FrameFree((ulong)frame);
                return result;
            }
            return 0;
        }

        [RuntimeExport("ExoSharpMoreCore")]
        public static void* MoreCore(nuint minimum, nuint* granted)
        {
            ulong bytes = ((ulong)minimum + 65535) & ~65535UL;     // at least 16 pages at a time
            if (s_heapBreak + bytes > Layout.HeapLimit) return null;
            ulong pages = bytes / PageSize;
            PageMapEntry* batch = stackalloc PageMapEntry[16];
            for (ulong done = 0; done < pages;)
            {
                ulong count = pages - done < 16 ? pages - done : 16;
                for (ulong i = 0; i < count; i++)
                {
                    long frame = SystemCall.FrameAlloc();
                    if (frame < 0) return null;
                    batch[i] = new PageMapEntry { Address = s_heapBreak + (done + i) * PageSize, FrameHandle = (ulong)frame, Flags = PageFlags.Writable };
                }
                if (SystemCall.PageMap(Capability.Self, batch, count) < 0) return null;
                done += count;
            }
            void* region = (void*)s_heapBreak;
            s_heapBreak += bytes;
            *granted = (nuint)bytes;
            return region;
        }
    }
}
