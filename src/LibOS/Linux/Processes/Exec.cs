// execve for a Linux process: the path, argv and envp copied out first, the image found (a file
// of ExOS's file system (a relative path from the working directory), of which only the headers are read up front and the segments straight
// into their pages at the load (OpenImage), or else a boot data module named by the path or its
// last component, so `/bin/busybox` finds the module `busybox` without a disk; `/proc/self/exe`
// is the current image: its path read again, or its module), `#!` scripts through their interpreter (4 levels),
// the ELF planned, and only then the old foreign image unmapped and its frames freed, the new
// one loaded in the same environment (the same pid; an execve of the running image's file,
// unchanged since before it was loaded, keeps its read-only pages: the text and constants a
// shell's forked child already shares with the shell), the close-on-exec hook run, handlers reset
// and the registers pointed at the new entry point. Every error before that point leaves the
// caller as it was: ENOENT, ENOEXEC, EACCES, E2BIG, EFAULT, ENAMETOOLONG, ELOOP, ENOMEM.
// Missing: set-user-id, /proc beyond self/exe (a file replaced at the running image's path is what
// /proc/self/exe runs next), a file larger than 64 MiB.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Io;
using ExoSharp.LibOS.Linux.Loader;
using ExoSharp.LibOS.Linux.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class Exec
    {
        [RuntimeImport("linux_set_fs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void WriteFsBase(ulong value);

        private const int MaxPath = 4096, MaxString = 131072, MaxTotal = 128 * 1024, MaxStrings = 8192, MaxScripts = 4;
        private const ulong MaxFile = 64 << 20;

        private static byte* s_image;           // the running image when it is a boot module (for /proc/self/exe)
        private static ulong s_size;
        private static string s_path;           // the running image's path on the volume (for /proc/self/exe)
        private const ulong HeaderBytes = 4096; // what OpenImage reads up front (the ELF and program headers)

        /// <summary>Called after the point of no return, before the new image starts: the
        /// descriptor table closes its close-on-exec descriptors here (set by whoever owns
        /// descriptors; null: nothing to close).</summary>
        public static delegate*<void> CloseOnExec;

        /// <summary>Before a load from fd (an open file of the volume, or -1): the file's state
        /// now (st, at second now) and whether its read-only pages may come from it at their first
        /// touch instead of at the load: only when it has not changed within this second (any
        /// later change shows in its ctime) and no one has it open for writing (once it is held as
        /// an image, opening it for writing is ETXTBSY: Files.HoldAsImage).</summary>
        public static bool Identify(long fd, out FileStat st, out ulong now)
        {
            st = default;
            now = Clock.UnixSeconds;
            return fd >= 0 && Files.FStat((int)fd, out st) == 0 && st.Ctime < now && !Files.OpenForWriting((int)fd);
        }

        /// <summary>The running image: a boot module's (image, size), or a file of the volume (path)
        /// loaded from descriptor fd (st and now as Identify gave them; lazy: its read-only pages
        /// come at their first touch, so the descriptor stays open; else it is closed).</summary>
        public static void NoteImage(byte* image, ulong size, string path, ElfLoadPlan plan, long fd, FileStat st, ulong now, bool lazy)
        {
            CloseImage();
            s_image = path == null ? image : null;
            s_size = path == null ? size : 0;
            s_path = path;
            s_plan = null;
            s_pristine = false;
            if (path != null && (fd < 0 || Files.FStat((int)fd, out st) == 0))
            {
                if (fd < 0 && Files.Stat(path, out st) != 0) return;
                s_plan = plan;
                s_file = st;
                s_loaded = now;
                s_pristine = true;
            }
            if (lazy && s_plan != null && Files.HoldAsImage((int)fd) == 0) s_fd = fd;
            else if (fd >= 0) Files.Close((int)fd);
        }

        /// <summary>Closes the running image's file (exit, or another image).</summary>
        public static void CloseImage()
        {
            if (s_fd >= 0) Files.Close((int)s_fd);
            s_fd = -1;
        }

        // The running image from a file: its plan, the file's state when it was loaded (s_file, at
        // second s_loaded), its descriptor while read-only pages may still come from it (s_fd),
        // and whether its mapped read-only pages are still the file's (s_pristine: whatever maps,
        // unmaps or re-protects them clears it, ImageTouched). An execve of that same unchanged
        // file keeps those pages instead of reading them again.
        private static ElfLoadPlan s_plan;
        private static FileStat s_file;
        private static ulong s_loaded;
        private static long s_fd = -1;
        private static bool s_pristine;

        /// <summary>[address, address + length) of the foreign space is mapped, unmapped or
        /// re-protected (mmap, munmap, mprotect): the running image's read-only pages there come in
        /// from the file first (the change applies to them as loaded), and they are no longer known
        /// to be the file's.</summary>
        public static void ImageTouched(ulong address, ulong length)
        {
            if (s_plan == null) return;
            for (int i = 0; i < s_plan.SegmentCount; i++)
            {
                LoadSegment s = s_plan.Segments[i];
                if ((s.Flags & 2) != 0) continue;
                ulong from = address > (s.Address & ~0xFFFUL) ? address & ~0xFFFUL : s.Address & ~0xFFFUL, to = address + length < s.End ? address + length : s.End;
                for (ulong page = from; page < to; page += 4096)
                {
                    if (!LinuxProcess.ReadOnlyPage(s_plan, page)) continue;
                    if ((KernelTables.PageEntry(page) & 1) == 0) LoadImagePage(page);
                    s_pristine = false;
                }
            }
        }

        /// <summary>The file st describes is the running image's, unchanged since before it was
        /// loaded (ctime moves with every write, truncate and utimensat).</summary>
        private static bool Unchanged(FileStat st) =>
            s_plan != null && st.Ino == s_file.Ino && st.Size == s_file.Size && st.Mtime == s_file.Mtime &&
            st.Ctime == s_file.Ctime && st.Ctime < s_loaded;

        /// <summary>The first touch of a read-only page of the running image not loaded yet: its
        /// bytes read from the image's file into a fresh frame, mapped read-only (executable when
        /// a segment there is); false when the page is no such page, or the file has changed since
        /// the load (its old bytes are gone: the access is a SIGSEGV).</summary>
        public static bool LoadImagePage(ulong page)
        {
            if (s_fd < 0 || s_plan == null || !LinuxProcess.ReadOnlyPage(s_plan, page)) return false;
            if (Files.FStat((int)s_fd, out FileStat st) != 0 || !Unchanged(st))
            {
                System.Console.WriteLine("linux: the running image's file changed since it was loaded: page 0x" + page.ToString("x") + " cannot be read");
                return false;
            }
            long frame = SystemCall.FrameAlloc();
            if (frame < 0) return false;
            if (SystemCall.PageMap(Capability.Self, page, (ulong)frame, PageFlags.Writable) < 0)
            {
                SystemCall.FrameFree((ulong)frame);
                return false;
            }
            ulong flags = 0;
            for (int i = 0; i < s_plan.SegmentCount; i++)
            {
                LoadSegment s = s_plan.Segments[i];
                if (s.Address >= page + 4096 || s.End <= page) continue;
                if ((s.Flags & 1) != 0) flags = PageFlags.Executable;
                ulong from = s.Address > page ? s.Address : page, to = s.Address + s.FileSize < page + 4096 ? s.Address + s.FileSize : page + 4096;
                if (to > from && Files.PRead((int)s_fd, (byte*)from, to - from, s.FileOffset + (from - s.Address)) != (long)(to - from))
                {
                    SystemCall.FrameFree((ulong)frame);
                    return false;
                }
            }
            return SystemCall.PageMap(Capability.Self, page, (ulong)frame, flags) >= 0;
        }

        /// <summary>A file of the volume as an image: its first HeaderBytes (the whole file when its
        /// program headers lie past them) in NativeMemory the caller frees, its size, and a
        /// descriptor left open for LinuxProcess.Load to read the segments from (-1 when the
        /// whole file was read); 0 or a negative errno.</summary>
        public static long OpenImage(string name, ulong length, out byte* header, out long fd)
        {
            header = null;
            fd = Files.Open(name, 0);
            if (fd < 0) return fd;
            ulong first = length < HeaderBytes ? length : HeaderBytes;
            header = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(first == 0 ? 1 : first));
            long r = header == null ? -(long)Errno.ENOMEM : Files.PRead((int)fd, header, first, 0);
            if (r >= 0 && (ulong)r != first) r = -(long)Errno.EIO;
            if (r >= 0 && first >= 64 && first < length && *(ulong*)(header + 32) + (ulong)*(ushort*)(header + 56) * 56 > first)
            {
                System.Runtime.InteropServices.NativeMemory.Free(header);      // program headers past the first page: the whole file
                header = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)length);
                r = header == null ? -(long)Errno.ENOMEM : Files.PRead((int)fd, header, length, 0);
                if (r >= 0 && (ulong)r != length) r = -(long)Errno.EIO;
                Files.Close((int)fd);
                fd = -1;
            }
            if (r < 0)
            {
                if (header != null) System.Runtime.InteropServices.NativeMemory.Free(header);
                header = null;
                if (fd >= 0) Files.Close((int)fd);
                fd = -1;
                return r;
            }
            return 0;
        }

        public static long Execve(ExceptionFrame* frame, ulong path, ulong argv, ulong envp)
        {
            if (!UserPointers.Check(path, 1, false)) return -(long)Errno.EFAULT;
            string name = UserPointers.String(path, MaxPath);
            if (name == null) return UserPointers.Check(path, MaxPath, false) ? -(long)Errno.ENAMETOOLONG : -(long)Errno.EFAULT;
            if (name.Length == 0) return -(long)Errno.ENOENT;
            int total = 0;
            string[] arguments = Strings(argv, ref total, out long error);
            if (arguments == null) return error;
            string[] environment = Strings(envp, ref total, out error);
            if (environment == null) return error;
            for (int depth = 0; ; depth++)
            {
                long r = Find(name, out byte* image, out ulong size, out long fd, out string file, out bool same);
                if (r < 0) return r;
                if (size >= 2 && image[0] == '#' && image[1] == '!')
                {
                    string[] script = Interpreter(image, size, name, arguments, ref total);
                    Drop(image, fd, file);
                    if (script == null) return -(long)Errno.ENOEXEC;
                    if (total > MaxTotal) return -(long)Errno.E2BIG;
                    if (depth == MaxScripts) return -(long)Errno.ELOOP;
                    name = Unraw(script[0]);
                    arguments = script;
                    continue;
                }
                var plan = new ElfLoadPlan();
                if (size < 4 || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F' || LinuxProcess.Plan(image, size, plan) != null)
                {
                    Drop(image, fd, file);
                    return -(long)Errno.ENOEXEC;
                }
                Replace(frame, image, size, fd, file, same ? plan : null, plan, arguments, environment);
                return 0;
            }
        }

        /// <summary>What Find gave, given back: a volume file's header and descriptor.</summary>
        private static void Drop(byte* image, long fd, string path)
        {
            if (path == null) return;
            System.Runtime.InteropServices.NativeMemory.Free(image);
            if (fd >= 0) Files.Close((int)fd);
        }

        /// <summary>The point of no return: the old image goes, the new one comes. keep: the new
        /// image is the running one's file unchanged (its plan): its read-only pages stay, and
        /// those not loaded yet still come from the running image's descriptor.</summary>
        private static void Replace(ExceptionFrame* frame, byte* image, ulong size, long fd, string path, ElfLoadPlan keep, ElfLoadPlan plan, string[] arguments, string[] environment)
        {
            if (CloseOnExec != null) CloseOnExec();        // the descriptor table's hook (close-on-exec descriptors)
            Unmap(LinuxLayout.Low, LinuxLayout.ReservedStart, keep);
            Unmap(LinuxLayout.ReservedEnd, LinuxLayout.Limit, keep);
            FileStat st = default;
            ulong now = 0;
            bool lazy = keep == null && Identify(fd, out st, out now);
            string error = LinuxProcess.Load(image, fd, plan, arguments, environment, keep != null || lazy, out ulong rsp);
            if (keep == null) NoteImage(image, size, path, plan, fd, st, now, lazy);   // kept: the same file, loaded when it was
            Drop(image, keep == null ? -1 : fd, path);
            if (error != null)
            {
                System.Console.WriteLine("linux: execve of '" + (arguments.Length > 0 ? arguments[0] : "") + "' failed after the old image was gone: " + error);
                ProcessExit.Killed(Signals.Sigsegv);
            }
            Signals.AtExec();
            WriteFsBase(0);
            Registers* r = &frame->Registers;
            *r = default;
            r->Rip = plan.Entry;
            r->Rsp = rsp;
            r->Rflags = 0x202;
            ExtendedState.Initialize(ExtendedState.Of(frame));
        }

        /// <summary>Frees every mapped page of [start, end) (its frame capability dropped, which
        /// unmaps it), but the read-only pages of keep when it is not null.</summary>
        private static void Unmap(ulong start, ulong end, ElfLoadPlan keep)
        {
            ulong va = start;
            while ((va = PageWalk.NextMapped(va, end)) < end)
            {
                if (keep == null || !LinuxProcess.ReadOnlyPage(keep, va))
                {
                    PageInfo info;
                    SystemCall.PageQuery(va, &info);
                    if (info.Flags != 0) SystemCall.FrameFree(info.FrameHandle);
                    if ((KernelTables.PageEntry(va) & 1) != 0) SystemCall.PageUnmap(Capability.Self, va);    // a frame it held no capability for
                }
                va += 4096;
            }
        }

        /// <summary>A string read a byte a char (UserPointers.String) with each byte of 0x80 or more
        /// as InitialStack.RawByte, so the new image gets the very bytes (UTF-8 or not); null stays null.</summary>
        private static string Raw(string bytes)
        {
            if (bytes == null) return null;
            int i = 0;
            while (i < bytes.Length && bytes[i] < 0x80) i++;
            if (i == bytes.Length) return bytes;
            var chars = new char[bytes.Length];
            for (int k = 0; k < bytes.Length; k++) chars[k] = bytes[k] < 0x80 ? bytes[k] : InitialStack.RawByte((byte)bytes[k]);
            return new string(chars);
        }

                /// <summary>Raw's inverse: a path again, a byte a char.</summary>
        private static string Unraw(string text)
        {
            var chars = new char[text.Length];
            for (int k = 0; k < text.Length; k++) chars[k] = text[k] >= 0xDC80 && text[k] <= 0xDCFF ? (char)(text[k] & 0xFF) : text[k];
            return new string(chars);
        }

        /// <summary>A null-terminated vector of strings (null pointer: none); null with the error.</summary>
        private static string[] Strings(ulong vector, ref int total, out long error)
        {
            error = 0;
            if (vector == 0) return new string[0];
            int count = 0;
            while (true)
            {
                if (!UserPointers.Check(vector + (ulong)count * 8, 8, false)) { error = -(long)Errno.EFAULT; return null; }
                if (*(ulong*)(vector + (ulong)count * 8) == 0) break;
                if (++count > MaxStrings) { error = -(long)Errno.E2BIG; return null; }
            }
            var strings = new string[count];
            for (int i = 0; i < count; i++)
            {
                ulong at = *(ulong*)(vector + (ulong)i * 8);
                if (!UserPointers.Check(at, 1, false)) { error = -(long)Errno.EFAULT; return null; }
                strings[i] = Raw(UserPointers.String(at, MaxString));
                if (strings[i] == null) { error = UserPointers.Check(at, MaxString, false) ? -(long)Errno.E2BIG : -(long)Errno.EFAULT; return null; }
                total += strings[i].Length + 1 + 8;
                if (total > MaxTotal) { error = -(long)Errno.E2BIG; return null; }
            }
            return strings;
        }

        /// <summary>The image a path names: 0, or a negative errno. A volume file comes as
        /// OpenImage gives it (path: the file's; the caller Drops it), a boot module as it is
        /// mapped (path null, fd -1).</summary>
        private static long Find(string name, out byte* image, out ulong size, out long fd, out string path, out bool same)
        {
            image = null; size = 0; fd = -1; path = null; same = false;
            if (name == "/proc/self/exe")
            {
                if (s_path != null) name = s_path;
                else if (s_image == null) return -(long)Errno.ENOENT;
                else
                {
                    image = s_image; size = s_size;
                    return 0;
                }
            }
            if (Files.Volume != null)
            {
                if (name[0] != '/')     // relative: against the working directory, as the other path calls
                {
                    string cwd = UserPaths.WorkingDirectory;
                    name = cwd.Length > 0 && cwd[cwd.Length - 1] == '/' ? cwd + name : cwd + "/" + name;
                }
                long r = Files.Stat(name, out FileStat st);
                if (r == 0)
                {
                    if ((st.Mode & 0xF000) != 0x8000 || (st.Mode & 0x49) == 0) return -(long)Errno.EACCES;
                    if (st.Size > MaxFile) return -(long)Errno.ENOMEM;
                    r = OpenImage(name, st.Size, out image, out fd);
                    if (r < 0) return r;
                    size = st.Size;
                    path = name;
                    same = s_pristine && Unchanged(st);
                    return 0;
                }
                if (r != -(long)Errno.ENOENT && r != -(long)Errno.ENOTDIR) return r;
            }
            int module = BootModules.FindFile(name);
            if (module < 0)
            {
                int slash = name.Length - 1;
                while (slash >= 0 && name[slash] != '/') slash--;
                if (slash >= 0 && slash + 1 < name.Length) module = BootModules.FindFile(name.Substring(slash + 1));
            }
            if (module < 0) return -(long)Errno.ENOENT;
            image = BootModules.Image(module);
            size = BootModules.Size(module);
            return 0;
        }

        /// <summary>`#!interpreter [argument]` (the first line, at most 255 bytes): the new argv
        /// (interpreter, argument, the script's path, the old argv after its first), or null.</summary>
        private static string[] Interpreter(byte* image, ulong size, string path, string[] arguments, ref int total)
        {
            int end = 2;
            while ((ulong)end < size && end < 256 && image[end] != '\n') end++;
            if (end == 256) return null;
            int i = 2;
            while (i < end && (image[i] == ' ' || image[i] == '\t')) i++;
            int start = i;
            while (i < end && image[i] != ' ' && image[i] != '\t') i++;
            if (i == start) return null;
            string interpreter = new string((sbyte*)image, start, i - start);
            while (i < end && (image[i] == ' ' || image[i] == '\t')) i++;
            int argEnd = end;
            while (argEnd > i && (image[argEnd - 1] == ' ' || image[argEnd - 1] == '\t' || image[argEnd - 1] == '\r')) argEnd--;
            string argument = argEnd > i ? new string((sbyte*)image, i, argEnd - i) : null;
            int rest = arguments.Length > 1 ? arguments.Length - 1 : 0;
            var result = new string[1 + (argument != null ? 1 : 0) + 1 + rest];
            int n = 0;
            result[n++] = Raw(interpreter);
            if (argument != null) result[n++] = Raw(argument);
            result[n++] = Raw(path);
            for (int k = 1; k < arguments.Length; k++) result[n++] = arguments[k];
            total += interpreter.Length + path.Length + (argument != null ? argument.Length : 0) + 32;
            return result;
        }
    }
}
