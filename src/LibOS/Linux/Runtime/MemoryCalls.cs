// mmap, munmap and mprotect of a foreign process: anonymous areas (a sorted table of disjoint
// [start, end) with their PROT_ bits) whose pages are mapped at the first touch (a not-present
// fault in an area that allows the access, or a system call's buffer: Populate) or all at once
// with MAP_POPULATE; mprotect rewrites the page-table entries (a page whose frame another process
// also holds stays copy-on-write when made writable) and keeps a PROT_NONE page's frame unmapped
// aside until it is made accessible again; munmap frees the frames. Missing: file mappings
// (ENODEV), MAP_SHARED anonymous memory shared across fork (it is private), PROT_NONE pages in a
// fork's child (they come back zeroed), mremap, the reuse of freed address space.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static unsafe class MemoryCalls
    {
        private const ulong Page = 4096;
        private const ulong ProtRead = 1, ProtWrite = 2, ProtExec = 4;
        private const ulong MapShared = 1, MapPrivate = 2, MapFixed = 0x10, MapAnonymous = 0x20, MapLocked = 0x2000,
                            MapPopulate = 0x8000, MapFixedNoReplace = 0x100000, MapHugeTlb = 0x40000;
        private const int MaxAreas = 1024, MaxParked = 4096;
        private const ulong Present = 1, PteWritable = 2, PteFrame = 0x000F_FFFF_FFFF_F000;

        private static ulong[] s_start, s_end, s_prot;     // the areas, sorted by start, disjoint
        private static int s_count;
        private static ulong s_next;                       // where the next area without MAP_FIXED goes
        private static ulong[] s_parkedPage, s_parkedHandle, s_parkedFlags, s_parkedFrame;   // PROT_NONE pages' frames, unmapped
        private static int s_parked;

        // The frame handles of pages (direct-mapped by page number, a newer page evicts an older):
        // a handle is used only while the page-table entry still maps the frame it was found
        // for, and a handle names one frame for its whole life, so an entry is right or the kernel
        // refuses its stale handle (then PageQuery answers). Emptied in a fork's child (its
        // handles differ) and at a fresh image.
        private const int Handles = 1024;
        private static ulong* s_cache;                     // Handles rows of page, frame, handle

        /// <summary>A fresh image (process start, execve): no areas; frames parked by the old one freed.</summary>
        public static void Start()
        {
            if (s_start == null)
            {
                s_start = new ulong[MaxAreas]; s_end = new ulong[MaxAreas]; s_prot = new ulong[MaxAreas];
                s_cache = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(Handles * 3 * sizeof(ulong)));
                Process.AddForkHooks(&BeforeFork, &InChild);
            }
            for (int i = 0; i < s_parked; i++) SystemCall.FrameFree(s_parkedHandle[i]);
            s_parked = 0;
            ForgetHandles();
            s_count = 0;
            s_next = LinuxLayout.MapBase;
        }

        private static void BeforeFork(bool undo) { }

        /// <summary>A fork's child: the parked handles are the parent's, not its own.</summary>
        private static void InChild() { s_parked = 0; ForgetHandles(); }

        private static void ForgetHandles() { for (int i = 0; i < Handles; i++) s_cache[i * 3] = 0; }

        /// <summary>The page-table entries from page's on (to the end of its 2 MiB), or null when its
        /// page table is not there (plain loads from the kernel's windows).</summary>
        private static ulong* Entries(ulong page)
        {
            if ((((ulong*)UserLayout.PageMapLevel4)[page >> 39] & Present) == 0) return null;
            if ((((ulong*)UserLayout.PageDirectoryPointers)[page >> 30] & Present) == 0) return null;
            if ((((ulong*)UserLayout.PageDirectories)[page >> 21] & Present) == 0) return null;
            return (ulong*)UserLayout.PageTables + (page >> 12);
        }

        /// <summary>The handle for the frame mapped at page: the cache's, else the kernel's (remembered).</summary>
        private static ulong HandleOf(ulong page, ulong frame)
        {
            ulong* row = s_cache + ((page >> 12) & (Handles - 1)) * 3;
            if (row[0] == page && row[1] == frame) return row[2];
            PageInfo info;
            SystemCall.PageQuery(page, &info);
            Remember(page, info.Frame, info.FrameHandle);
            return info.FrameHandle;
        }

        private static void Remember(ulong page, ulong frame, ulong handle)
        {
            ulong* row = s_cache + ((page >> 12) & (Handles - 1)) * 3;
            row[0] = page; row[1] = frame; row[2] = handle;
        }

        /// <summary>A fresh zeroed frame mapped at page (its handle remembered): 0 or a negative error.</summary>
        private static long Allocate(ulong page, ulong flags)
        {
            long frame = SystemCall.FrameAlloc();
            if (frame < 0) return frame;
            long r = SystemCall.PageMap(Capability.Self, page, (ulong)frame, flags);
            if (r < 0) { SystemCall.FrameFree((ulong)frame); return r; }
            Remember(page, (KernelTables.PageEntry(page) & PteFrame) >> 12, (ulong)frame);
            return 0;
        }

        private static long Error(Errno e) => -(long)e;

        private static bool InForeign(ulong address, ulong size) =>
            address >= LinuxLayout.Low && address < LinuxLayout.Limit && size <= LinuxLayout.Limit - address &&
            !(address < LinuxLayout.ReservedEnd && address + size > LinuxLayout.ReservedStart);

        /// <summary>mmap(address, length, prot, flags, fd, offset): anonymous memory only.</summary>
        public static long Map(ulong address, ulong length, ulong prot, ulong flags, long fd, ulong offset)
        {
            ulong kind = flags & 3;
            if (kind == 0) return Error(Errno.EINVAL);                              // neither shared nor private
            if ((flags & MapAnonymous) == 0) return Error(Errno.ENODEV);            // file mappings: not yet
            if ((prot & ~(ProtRead | ProtWrite | ProtExec)) != 0 || (flags & MapHugeTlb) != 0) return Error(Errno.EINVAL);
            if ((offset & (Page - 1)) != 0) return Error(Errno.EINVAL);
            if (length == 0 || length > LinuxLayout.MapLimit - LinuxLayout.MapBase) return Error(Errno.EINVAL);
            ulong size = (length + Page - 1) & ~(Page - 1);
            ulong at;
            if ((flags & (MapFixed | MapFixedNoReplace)) != 0)
            {
                if ((address & (Page - 1)) != 0) return Error(Errno.EINVAL);
                if (!InForeign(address, size)) return Error(address < LinuxLayout.ReservedEnd && address + size > LinuxLayout.ReservedStart ? Errno.ENOMEM : Errno.EINVAL);
                at = address;
                if ((flags & MapFixed) == 0)                                        // MAP_FIXED_NOREPLACE
                {
                    for (ulong p = at; p < at + size; p += Page)
                        if ((KernelTables.PageEntry(p) & Present) != 0 || Find(p) >= 0 || ParkedIndex(p) >= 0) return Error(Errno.EEXIST);
                }
                else
                {
                    long r = Unmap(at, size);                                       // what was there goes
                    if (r < 0) return r;
                }
            }
            else
            {
                if (size > LinuxLayout.MapLimit - s_next) return Error(Errno.ENOMEM);
                at = s_next;
            }
            Processes.Exec.ImageTouched(at, size);
            if (!Insert(at, at + size, prot)) return Error(Errno.ENOMEM);
            if ((flags & (MapPopulate | MapLocked)) != 0 && prot != 0)
            {
                for (ulong p = at; p < at + size; p += Page)
                    if (Allocate(p, Rights(prot)) < 0) { Unmap(at, size); return Error(Errno.ENOMEM); }
            }
            if (at == s_next) s_next += size;
            return (long)at;
        }

        /// <summary>munmap(address, length): the frames in the range freed, its areas gone.</summary>
        public static long Unmap(ulong address, ulong length)
        {
            if ((address & (Page - 1)) != 0 || length == 0) return Error(Errno.EINVAL);
            ulong size = (length + Page - 1) & ~(Page - 1);
            if (!InForeign(address, size)) return Error(Errno.EINVAL);
            if (!Split(address) || !Split(address + size)) return Error(Errno.ENOMEM);
            Processes.Exec.ImageTouched(address, size);
            ulong end = address + size;
            for (ulong p = address; (p = Processes.PageWalk.NextMapped(p, end)) < end; p += Page)
            {
                PageInfo info;
                SystemCall.PageQuery(p, &info);
                if (info.Flags != 0) SystemCall.FrameFree(info.FrameHandle);
                s_cache[((p >> 12) & (Handles - 1)) * 3] = 0;
            }
            for (int i = s_parked - 1; i >= 0; i--)
                if (s_parkedPage[i] >= address && s_parkedPage[i] < end) { SystemCall.FrameFree(s_parkedHandle[i]); Unpark(i); }
            int first = FirstAtOrAfter(address), last = first;
            while (last < s_count && s_end[last] <= end) last++;
            Remove(first, last - first);
            return 0;
        }

        /// <summary>mprotect(address, length, prot): every page of the range must be mapped or in an
        /// area (ENOMEM otherwise, nothing changed).</summary>
        public static long Protect(ulong address, ulong length, ulong prot)
        {
            if ((address & (Page - 1)) != 0) return Error(Errno.EINVAL);
            if ((prot & ~(ProtRead | ProtWrite | ProtExec)) != 0) return Error(Errno.EINVAL);
            if (length == 0) return 0;
            ulong size = (length + Page - 1) & ~(Page - 1);
            if (size < length || !InForeign(address, size)) return Error(Errno.ENOMEM);
            ulong end = address + size;
            for (ulong p = CoveredTo(address, end); p < end; )              // every page mapped, in an area or parked
            {
                ulong stop = (p | 0x1F_FFFF) + 1 < end ? (p | 0x1F_FFFF) + 1 : end;
                ulong* pte = Entries(p);
                for (; p < stop; p += Page)
                {
                    if (pte != null && (*pte++ & Present) != 0) continue;
                    int a = Find(p);
                    if (a >= 0)
                    {
                        if (s_end[a] - Page > p) { p = s_end[a] < stop ? s_end[a] - Page : stop - Page; pte = pte == null ? null : Entries(p + Page); }
                        continue;
                    }
                    if (ParkedIndex(p) < 0) return Error(Errno.ENOMEM);
                }
            }
            if (!Split(address) || !Split(end)) return Error(Errno.ENOMEM);
            Processes.Exec.ImageTouched(address, size);
            for (int i = FirstAtOrAfter(address); i < s_count && s_start[i] < end; i++) s_prot[i] = prot;
            for (int i = s_parked - 1; i >= 0 && prot != 0; i--)                  // accessible again: mapped back
            {
                ulong p = s_parkedPage[i];
                if (p < address || p >= end) continue;
                PageInfo was = new PageInfo { Frame = s_parkedFrame[i], Flags = s_parkedFlags[i], FrameHandle = s_parkedHandle[i] };
                if (SystemCall.PageMap(Capability.Self, p, was.FrameHandle, Wanted(&was, prot)) < 0) return Error(Errno.ENOMEM);
                Unpark(i);
            }
            ulong* handles = stackalloc ulong[Batch];       // a run of consecutive pages getting the same flags
            ulong runStart = 0, runFlags = 0, rights = Rights(prot);
            int n = 0;
            for (ulong p = address; p < end; )
            {
                ulong stop = (p | 0x1F_FFFF) + 1 < end ? (p | 0x1F_FFFF) + 1 : end;
                ulong* pte = Entries(p);
                if (pte == null) { p = stop; continue; }
                for (; p < stop; p += Page, pte++)
                {
                    ulong entry = *pte;
                    if ((entry & Present) == 0) continue;
                    ulong frame = (entry & PteFrame) >> 12;
                    ulong now = (entry & (PteWritable | PageFlags.Available)) | ((long)entry < 0 ? 0 : PageFlags.Executable);
                    ulong wanted = rights | (entry & (PageFlags.Available & ~PageFlags.CopyOnWrite));
                    if ((wanted & PageFlags.Writable) != 0 && ((entry & PageFlags.CopyOnWrite) != 0 || KernelTables.FrameReferences(frame) > 1))
                        wanted = (wanted & ~PageFlags.Writable) | PageFlags.CopyOnWrite;   // a frame a fork shares stays copy-on-write
                    if (now == wanted) continue;
                    if (n > 0 && (wanted != runFlags || p != runStart + (ulong)n * Page || n == Batch))
                    {
                        if (!Flush(runStart, handles, n, runFlags)) return Error(Errno.ENOMEM);
                        n = 0;
                    }
                    if (prot == 0)
                    {
                        if (s_parkedPage == null)       // at the first PROT_NONE page (128 KiB a fork would share otherwise)
                        {
                            s_parkedPage = new ulong[MaxParked]; s_parkedHandle = new ulong[MaxParked]; s_parkedFlags = new ulong[MaxParked]; s_parkedFrame = new ulong[MaxParked];
                        }
                        if (s_parked == MaxParked) return Error(Errno.ENOMEM);
                        PageInfo info;
                        SystemCall.PageQuery(p, &info);                         // the handle as the kernel has it now
                        s_parkedPage[s_parked] = p; s_parkedHandle[s_parked] = info.FrameHandle; s_parkedFlags[s_parked] = info.Flags; s_parkedFrame[s_parked] = info.Frame;
                        s_parked++;
                        SystemCall.PageUnmap(Capability.Self, p);
                        continue;
                    }
                    if (n == 0) { runStart = p; runFlags = wanted; }
                    handles[n++] = HandleOf(p, frame);
                }
            }
            if (n > 0 && !Flush(runStart, handles, n, runFlags)) return Error(Errno.ENOMEM);
            return 0;
        }

        private const int Batch = 128;                      // PageMapRange takes at most 512

        /// <summary>Remaps count consecutive pages from start to the frames handles name, all with
        /// flags (one call); when the kernel refuses (a handle the cache kept went stale),
        /// every handle is asked of the kernel and the run tried again.</summary>
        private static bool Flush(ulong start, ulong* handles, int count, ulong flags)
        {
            if (Map(start, handles, count, flags)) return true;
            for (int i = 0; i < count; i++)
            {
                PageInfo info;
                ulong page = start + (ulong)i * Page;
                SystemCall.PageQuery(page, &info);
                if (info.Flags == 0) return false;
                handles[i] = info.FrameHandle;
                Remember(page, info.Frame, info.FrameHandle);
            }
            return Map(start, handles, count, flags);
        }

        /// <summary>One page by PageMapOne (the kernel's fast path for a new protection of the same
        /// frame), more by PageMapRange.</summary>
        private static bool Map(ulong start, ulong* handles, int count, ulong flags) =>
            count == 1 ? SystemCall.PageMap(Capability.Self, start, handles[0], flags) >= 0
                       : SystemCall.PageMapRange(Capability.Self, start, (ulong)count, handles, flags) >= 0;

        /// <summary>The page flags a mapped page gets for prot: writable only when its frame is this
        /// process's alone, else copy-on-write (a frame a fork shares); read-only clears both.</summary>
        private static ulong Wanted(PageInfo* info, ulong prot)
        {
            ulong flags = Rights(prot) | (info->Flags & (PageFlags.Available & ~PageFlags.CopyOnWrite));
            if ((flags & PageFlags.Writable) != 0 && ((info->Flags & PageFlags.CopyOnWrite) != 0 || KernelTables.FrameReferences(info->Frame) > 1))
                flags = (flags & ~PageFlags.Writable) | PageFlags.CopyOnWrite;
            return flags;
        }

        private static ulong Rights(ulong prot) =>
            ((prot & ProtWrite) != 0 ? PageFlags.Writable : 0) | ((prot & ProtExec) != 0 ? PageFlags.Executable : 0);

        /// <summary>A fault on a page that is not mapped: a fresh zeroed frame when the page lies in
        /// an area whose protection allows the access (error code: bit 1 write, bit 4 fetch).</summary>
        public static bool Fault(ExceptionFrame* frame)
        {
            if (frame->Vector != 14 || (frame->ErrorCode & 1) != 0) return false;
            ulong access = (frame->ErrorCode & 2) != 0 ? ProtWrite : (frame->ErrorCode & 16) != 0 ? ProtExec : ProtRead;
            return Populate(frame->FaultAddress, access);
        }

        /// <summary>Maps the page at address when it is not mapped and lies in an area that allows
        /// access (PROT_ bits); true when the page is mapped afterwards.</summary>
        public static bool Populate(ulong address, ulong access)
        {
            ulong page = address & ~(Page - 1);
            if ((KernelTables.PageEntry(page) & Present) != 0) return true;
            int a = Find(page);
            if (a < 0) return Processes.Exec.LoadImagePage(page);          // a read-only page of the image, from its file
            ulong prot = s_prot[a];
            if (prot == 0 || (prot & access) != access) return false;
            return Allocate(page, Rights(prot)) >= 0;                   // the kernel zeroes the frame
        }

        /// <summary>How far from address on [address, end) lies in areas that follow each other
        /// without a gap (address when none holds it): a page there needs no look at its entry.</summary>
        private static ulong CoveredTo(ulong address, ulong end)
        {
            int a = Find(address);
            if (a < 0) return address;
            ulong at = s_end[a];
            while (at < end && a + 1 < s_count && s_start[a + 1] == at) at = s_end[++a];
            return at < end ? at : end;
        }

        /// <summary>The area holding address, or -1.</summary>
        private static int Find(ulong address)
        {
            int lo = 0, hi = s_count - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (address < s_start[mid]) hi = mid - 1;
                else if (address >= s_end[mid]) lo = mid + 1;
                else return mid;
            }
            return -1;
        }

        /// <summary>The index of the first area that starts at or after address.</summary>
        private static int FirstAtOrAfter(ulong address)
        {
            int lo = 0, hi = s_count;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (s_start[mid] < address) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /// <summary>Cuts the area holding address in two there (nothing when none does or it starts there).</summary>
        private static bool Split(ulong address)
        {
            int a = Find(address);
            if (a < 0 || s_start[a] == address) return true;
            if (s_count == MaxAreas) return false;
            Shift(a + 1, 1);
            s_start[a + 1] = address; s_end[a + 1] = s_end[a]; s_prot[a + 1] = s_prot[a];
            s_end[a] = address;
            return true;
        }

        /// <summary>Adds [start, end) (which overlaps no area) with prot.</summary>
        private static bool Insert(ulong start, ulong end, ulong prot)
        {
            if (s_count == MaxAreas) return false;
            int at = FirstAtOrAfter(start);
            Shift(at, 1);
            s_start[at] = start; s_end[at] = end; s_prot[at] = prot;
            return true;
        }

        private static void Remove(int at, int count)
        {
            if (count <= 0) return;
            for (int i = at; i + count < s_count; i++) { s_start[i] = s_start[i + count]; s_end[i] = s_end[i + count]; s_prot[i] = s_prot[i + count]; }
            s_count -= count;
        }

        private static void Shift(int at, int by)
        {
            for (int i = s_count - 1; i >= at; i--) { s_start[i + by] = s_start[i]; s_end[i + by] = s_end[i]; s_prot[i + by] = s_prot[i]; }
            s_count += by;
        }

        private static int ParkedIndex(ulong page)
        {
            for (int i = 0; i < s_parked; i++) if (s_parkedPage[i] == page) return i;
            return -1;
        }

        private static void Unpark(int i)
        {
            s_parked--;
            s_parkedPage[i] = s_parkedPage[s_parked]; s_parkedHandle[i] = s_parkedHandle[s_parked]; s_parkedFlags[i] = s_parkedFlags[s_parked]; s_parkedFrame[i] = s_parkedFrame[s_parked];
        }
    }
}
