// Pages for the program: one fresh page at an address (JOS's sys_page_alloc), and the heap's
// supply (ExoSharpMoreCore), which maps new frames at the heap break in batches, or in a range
// whose region the collector gave back (ReleaseRegion frees its frames). Frames are held through
// capabilities the kernel gives out (FrameAlloc); nothing here is shared.
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

        /// <summary>The most the heap may map (Layout.HeapLimit - HeapBase unless a program sets less).</summary>
        public static ulong HeapLimit { get; private set; } = Layout.HeapLimit - Layout.HeapBase;

        /// <summary>Caps the heap's mapped bytes (a program that wants to prove it runs in little memory).</summary>
        public static void SetHeapLimit(ulong bytes) => HeapLimit = bytes < Layout.HeapLimit - Layout.HeapBase ? bytes : Layout.HeapLimit - Layout.HeapBase;

        /// <summary>Bytes of heap mapped now (frames this program holds for its heap).</summary>
        public static ulong HeapMapped => s_heapMapped;
        private static ulong s_heapMapped, s_heapPeak;

        /// <summary>Heap regions mapped now (each MoreCore grant, until ReleaseRegion gives it back).</summary>
        public static int HeapRegions => s_heapRegions;
        private static int s_heapRegions;

        /// <summary>The most heap ever mapped at once (a benchmark's peak memory).</summary>
        public static ulong HeapPeak => s_heapPeak;

        // Address ranges below the break whose regions went back to the kernel, for MoreCore to reuse.
        private const int MaxHoles = 64;
        private static ulong* s_holeStart, s_holeBytes;
        private static int s_holes;

        /// <summary>Makes the table of released ranges (before the first collection: ReleaseRegion
        /// runs inside the heap and must not allocate).</summary>
        internal static void PrepareRelease()
        {
            if (s_holeStart != null) return;
            s_holeStart = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxHoles * 8);
            s_holeBytes = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxHoles * 8);
        }

        [RuntimeExport("ExoSharpMoreCore")]
        public static void* MoreCore(nuint minimum, nuint* granted)
        {
            ulong bytes = ((ulong)minimum + 65535) & ~65535UL;     // at least 16 pages at a time
            if (s_heapMapped + bytes > HeapLimit) return null;
            ulong at = s_heapBreak;
            int hole = -1;
            for (int i = 0; i < s_holes; i++)
                if (s_holeBytes[i] >= bytes) { hole = i; at = s_holeStart[i]; break; }
            if (hole < 0 && s_heapBreak + bytes > Layout.HeapLimit) return null;
            if (!MapFresh(at, bytes / PageSize)) return null;
            if (hole >= 0)
            {
                s_holeStart[hole] += bytes;
                s_holeBytes[hole] -= bytes;
                if (s_holeBytes[hole] == 0)
                {
                    s_holes--;
                    s_holeStart[hole] = s_holeStart[s_holes];
                    s_holeBytes[hole] = s_holeBytes[s_holes];
                }
            }
            else s_heapBreak += bytes;
            s_heapMapped += bytes;
            s_heapRegions++;
            if (s_heapMapped > s_heapPeak) s_heapPeak = s_heapMapped;
            *granted = (nuint)bytes;
            return (void*)at;
        }

        /// <summary>Maps fresh frames at pages [at, at + pages * 4096), 16 a system call; false
        /// (what was mapped stays, unused) when frames run out.</summary>
        private static bool MapFresh(ulong at, ulong pages)
        {
            ulong* batch = stackalloc ulong[16];
            for (ulong done = 0; done < pages;)
            {
                ulong count = pages - done < 16 ? pages - done : 16;
                for (ulong i = 0; i < count; i++)
                {
                    long frame = SystemCall.FrameAlloc();
                    if (frame < 0) return false;
                    batch[i] = (ulong)frame;
                }
                if (SystemCall.PageMapRange(Capability.Self, at + done * PageSize, count, batch, PageFlags.Writable) < 0) return false;
                done += count;
            }
            return true;
        }

        /// <summary>A heap region the collector emptied goes back to the kernel: each page's frame
        /// is freed (which unmaps it) and the range is kept for MoreCore to map again.
        /// Precondition: the region came from MoreCore and no object lives in it.</summary>
        public static void ReleaseRegion(void* start, nuint length)
        {
            ulong first = (ulong)start & ~(PageSize - 1), end = ((ulong)start + length + PageSize - 1) & ~(PageSize - 1);
            for (ulong page = first; page < end; page += PageSize)
            {
                PageInfo info;
                SystemCall.PageQuery(page, &info);
                if (info.Flags != 0) SystemCall.FrameFree(info.FrameHandle);
            }
            s_heapMapped -= end - first;
            s_heapRegions--;
            if (s_holeStart != null && s_holeBytes != null && s_holes < MaxHoles)
            {
                s_holeStart[s_holes] = first;
                s_holeBytes[s_holes] = end - first;
                s_holes++;
            }
        }
    }
}
