// Starts a static Linux x86-64 binary in this environment: ElfLoader's plan mapped into fresh
// frames (file bytes copied from memory or read from the file straight into them, the rest
// zeroed; executable where the segment is; a page only read-only segments cover ends read-only,
// every other one writable), the initial stack (its top pages mapped, the rest an area mapped at the first
// touch, as an anonymous mmap), the break after the
// image, then ForeignSyscalls so every `syscall` below LinuxLayout.Limit comes to LinuxCalls,
// and a jump to the entry point. One foreign process per environment; fork and execve
// (src/LibOS/Linux/Processes) make more and replace the image (Load, also theirs).
// Missing: file-backed mmap.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Linux.Loader;
using ExoSharp.LibOS.Linux.Processes;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static unsafe class LinuxProcess
    {
        [RuntimeImport("linux_enter")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Enter(ulong entry, ulong rsp);

        /// <summary>Runs the binary: a boot module's image in memory (path null, fd -1), or a file of
        /// the volume as Exec.OpenImage gives it (its header, which Run frees once loaded, and its
        /// descriptor, which the image keeps while read-only pages may come from it: Exec.NoteImage);
        /// returns only with a reason it could not start.</summary>
        public static string Run(byte* image, ulong size, long fd, string path, string[] arguments, string[] environment)
        {
            var plan = new ElfLoadPlan();
            string refused = Plan(image, size, plan);
            if (refused != null) return refused;
            string tree = ProcessTable.StartTree();
            if (tree != null) return tree;
            bool lazy = Exec.Identify(fd, out ExoSharp.LibOS.ExOS.Cffs.FileStat st, out ulong now);
            string error = Load(image, fd, plan, arguments, environment, lazy, out ulong rsp);
            Exec.NoteImage(image, size, path, plan, fd, st, now, lazy);         // keeps fd open when lazy
            if (path != null) System.Runtime.InteropServices.NativeMemory.Free(image);
            if (error != null) return error;
            long handler = LinuxFast.Install();
            if (handler < 0) return "no exception handler: error " + handler.ToString();
            Signals.StartSliceUpcalls();
            long foreign = SystemCall.ForeignSyscalls(Capability.Self, LinuxLayout.Limit);
            if (foreign < 0) return "ForeignSyscalls refused: error " + foreign.ToString();
            Enter(plan.Entry, rsp);
            return "the program returned";
        }

        /// <summary>ElfLoader's plan, refused also when a segment would land on ExOS's own part
        /// of the low space (its heap, thread stacks, tables and exception stack).</summary>
        public static string Plan(byte* image, ulong size, ElfLoadPlan plan)
        {
            string refused = ElfLoader.Plan(image, size, LinuxLayout.PieBase, LinuxLayout.Low, LinuxLayout.Limit, plan);
            if (refused != null) return refused;
            for (int i = 0; i < plan.SegmentCount; i++)
                if (plan.Segments[i].Address < LinuxLayout.ReservedEnd && plan.Segments[i].End > LinuxLayout.ReservedStart)
                    return "a segment overlaps the library OS's memory (0x10000000-0x70000000)";
            return null;
        }

        /// <summary>Maps a planned image and its stack into this space (the foreign region must be
        /// empty there but for read-only pages when keepReadOnly), builds the initial stack and
        /// starts the break; rsp for the entry point. The segments' file bytes come from image, or
        /// from fd (an open file of the volume) when it is not -1. A page that only segments
        /// without PF_W cover ends read-only (executable with PF_X); keepReadOnly: those pages are
        /// left alone: already mapped with this file's bytes (an execve of the image that runs) or
        /// mapped at their first touch from the file (Exec.LoadImagePage).</summary>
        public static string Load(byte* image, long fd, ElfLoadPlan plan, string[] arguments, string[] environment, bool keepReadOnly, out ulong rsp)
        {
            rsp = 0;
            for (int i = 0; i < plan.SegmentCount; i++)
            {
                LoadSegment s = plan.Segments[i];
                ulong flags = PageFlags.Writable | ((s.Flags & 1) != 0 ? PageFlags.Executable : 0);
                for (ulong a = s.Address & ~0xFFFUL; a < s.End;)
                {
                    bool kept = keepReadOnly && ReadOnlyPage(plan, a);
                    ulong b = a + 4096;
                    while (b < s.End && (keepReadOnly && ReadOnlyPage(plan, b)) == kept) b += 4096;
                    if (!kept)
                    {
                        string error = MapZeroed(a, b < s.End ? b : s.End, flags);
                        if (error != null) return error;
                        ulong from = a > s.Address ? a : s.Address, to = b < s.Address + s.FileSize ? b : s.Address + s.FileSize;
                        if (to > from)
                        {
                            ulong offset = s.FileOffset + (from - s.Address);
                            if (fd < 0) System.Buffer.MemoryCopy(image + offset, (void*)from, (long)(to - from), (long)(to - from));
                            else
                            {
                                long got = Files.PRead((int)fd, (byte*)from, to - from, offset);
                                if (got != (long)(to - from))
                                    return "the file could not be read at 0x" + offset.ToString("x") + " (" + (to - from).ToString() +
                                        " bytes asked, the read answered " + got.ToString() + ")";
                            }
                        }
                    }
                    a = b;
                }
            }
            ulong mapped = InitialStackBytes(arguments, environment);
            ulong stackLow = LinuxLayout.StackTop - LinuxLayout.StackSize, stackMapped = LinuxLayout.StackTop - mapped;
            string stackError = MapZeroed(stackMapped, LinuxLayout.StackTop, PageFlags.Writable);
            if (stackError != null) return stackError;
            byte* random = stackalloc byte[16];
            for (int i = 0; i < 16; i++) random[i] = (byte)(Entropy.Next() >> 24);
            rsp = InitialStack.Build((byte*)stackMapped, LinuxLayout.StackTop, mapped,
                arguments, environment, plan, random, 0, 100);
            if (rsp == 0) return "the arguments and environment do not fit the stack";
            LinuxCalls.Start(plan.Break);
            // The rest of the stack: pages mapped at the first touch (fork then shares only those).
            if (stackMapped > stackLow)
            {
                long area = MemoryCalls.Map(stackLow, stackMapped - stackLow, 3, 0x32, -1, 0);      // RW, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED
                if (area != (long)stackLow) return "no area for the stack: error " + area.ToString();
            }
            if (!keepReadOnly)
                for (int i = 0; i < plan.SegmentCount; i++)
                {
                    LoadSegment s = plan.Segments[i];
                    for (ulong a = s.Address & ~0xFFFUL; a < s.End; a += 4096)
                    {
                        if (!ReadOnlyPage(plan, a)) continue;
                        ulong b = a + 4096;
                        while (b < s.End && ReadOnlyPage(plan, b)) b += 4096;
                        long r = MemoryCalls.Protect(a, b - a, 1 | ((s.Flags & 1) != 0 ? 4UL : 0));    // PROT_READ, PROT_EXEC
                        if (r < 0) return "the read-only segment at 0x" + a.ToString("x") + " could not be protected: error " + r.ToString();
                        a = b - 4096;
                    }
                }
            return null;
        }

        /// <summary>The page at page (aligned) lies in a segment and in no writable one.</summary>
        public static bool ReadOnlyPage(ElfLoadPlan plan, ulong page)
        {
            bool inSegment = false;
            for (int i = 0; i < plan.SegmentCount; i++)
            {
                LoadSegment s = plan.Segments[i];
                if (s.Address >= page + 4096 || s.End <= page) continue;
                if ((s.Flags & 2) != 0) return false;
                inSegment = true;
            }
            return inSegment;
        }

        /// <summary>The top of the stack mapped at the load, in whole pages: room for the initial
        /// stack InitialStack.Build writes (the strings at up to 3 UTF-8 bytes a character, their
        /// pointers, the auxiliary vector, the random bytes, the platform and alignment) and a
        /// page or two for the program's first frames; at most the whole stack.</summary>
        private static ulong InitialStackBytes(string[] arguments, string[] environment)
        {
            ulong bytes = 8192 + 8 * (ulong)(arguments.Length + environment.Length + 4);
            for (int i = 0; i < arguments.Length; i++) bytes += 3 * (ulong)arguments[i].Length + 1 + (i == 0 ? 3 * (ulong)arguments[i].Length + 1 : 0);
            for (int i = 0; i < environment.Length; i++) bytes += 3 * (ulong)environment[i].Length + 1;
            bytes = (bytes + 4095) & ~4095UL;
            return bytes < LinuxLayout.StackSize ? bytes : LinuxLayout.StackSize;
        }

        /// <summary>Maps [start, end) rounded out to pages, with fresh zeroed frames; pages already
        /// mapped (a page two segments share) keep their frame and gain flags' rights.</summary>
        public static string MapZeroed(ulong start, ulong end, ulong flags)
        {
            for (ulong page = start & ~0xFFFUL; page < end; page += 4096)
            {
                if ((KernelTables.PageEntry(page) & 1) != 0)
                {
                    PageInfo info;
                    SystemCall.PageQuery(page, &info);
                    continue;
                }
                long r = Memory.AllocatePage(page, flags);       // a fresh frame: the kernel zeroed it
                if (r < 0) return "no memory for 0x" + page.ToString("x") + ": error " + r.ToString();
            }
            return null;
        }
    }
}
