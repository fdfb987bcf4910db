// execve for a Linux process: the path, argv and envp copied out first, the image found (a file
// of ExOS's file system read whole through ExOS.Files, or else a boot data module named by the
// path or its last component, so `/bin/busybox` finds the module `busybox` without a disk;
// `/proc/self/exe` is the current image), `#!` scripts through their interpreter (4 levels),
// the ELF planned, and only then the old foreign image unmapped and its frames freed, the new
// one loaded in the same environment (the same pid), the close-on-exec hook run, handlers reset
// and the registers pointed at the new entry point. Every error before that point leaves the
// caller as it was: ENOENT, ENOEXEC, EACCES, E2BIG, EFAULT, ENAMETOOLONG, ELOOP, ENOMEM.
// Missing: set-user-id, /proc beyond self/exe, reading a file larger than 64 MiB.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
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

        private static byte* s_image;           // the running image (for /proc/self/exe)
        private static ulong s_size;
        private static bool s_owned;            // s_image is NativeMemory this process allocated

        /// <summary>Called after the point of no return, before the new image starts: the
        /// descriptor table closes its close-on-exec descriptors here (set by whoever owns
        /// descriptors; null: nothing to close).</summary>
        public static delegate*<void> CloseOnExec;

        public static void NoteImage(byte* image, ulong size)
        {
            if (s_owned && s_image != image) System.Runtime.InteropServices.NativeMemory.Free(s_image);
            s_image = image;
            s_size = size;
            s_owned = false;
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
                long r = Find(name, out byte* image, out ulong size, out bool owned);
                if (r < 0) return r;
                if (size >= 2 && image[0] == '#' && image[1] == '!')
                {
                    string[] script = Interpreter(image, size, name, arguments, ref total);
                    if (owned) System.Runtime.InteropServices.NativeMemory.Free(image);
                    if (script == null) return -(long)Errno.ENOEXEC;
                    if (total > MaxTotal) return -(long)Errno.E2BIG;
                    if (depth == MaxScripts) return -(long)Errno.ELOOP;
                    name = script[0];
                    arguments = script;
                    continue;
                }
                var plan = new ElfLoadPlan();
                if (size < 4 || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F' || LinuxProcess.Plan(image, size, plan) != null)
                {
                    if (owned) System.Runtime.InteropServices.NativeMemory.Free(image);
                    return -(long)Errno.ENOEXEC;
                }
                Replace(frame, image, size, owned, plan, arguments, environment);
                return 0;
            }
        }

        /// <summary>The point of no return: the old image goes, the new one comes.</summary>
        private static void Replace(ExceptionFrame* frame, byte* image, ulong size, bool owned, ElfLoadPlan plan, string[] arguments, string[] environment)
        {
            if (CloseOnExec != null) CloseOnExec();        // the descriptor table's hook (close-on-exec descriptors)
            Unmap(LinuxLayout.Low, LinuxLayout.ReservedStart);
            Unmap(LinuxLayout.ReservedEnd, LinuxLayout.Limit);
            string error = LinuxProcess.Load(image, plan, arguments, environment, out ulong rsp);
            if (error != null)
            {
                System.Console.WriteLine("linux: execve of '" + (arguments.Length > 0 ? arguments[0] : "") + "' failed after the old image was gone: " + error);
                ProcessExit.Killed(Signals.Sigsegv);
            }
            bool keep = image == s_image ? s_owned : owned;   // /proc/self/exe: the same image stays
            NoteImage(image, size);
            s_owned = keep;
            Signals.AtExec();
            WriteFsBase(0);
            Registers* r = &frame->Registers;
            *r = default;
            r->Rip = plan.Entry;
            r->Rsp = rsp;
            r->Rflags = 0x202;
            ExtendedState.Initialize(ExtendedState.Of(frame));
        }

        /// <summary>Unmaps every page of [start, end) and frees its frame.</summary>
        private static void Unmap(ulong start, ulong end)
        {
            ulong va = start;
            while ((va = PageWalk.NextMapped(va, end)) < end)
            {
                PageInfo info;
                SystemCall.PageQuery(va, &info);
                SystemCall.PageUnmap(Capability.Self, va);
                if (info.Flags != 0) SystemCall.FrameFree(info.FrameHandle);
                va += 4096;
            }
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
                strings[i] = UserPointers.String(at, MaxString);
                if (strings[i] == null) { error = UserPointers.Check(at, MaxString, false) ? -(long)Errno.E2BIG : -(long)Errno.EFAULT; return null; }
                total += strings[i].Length + 1 + 8;
                if (total > MaxTotal) { error = -(long)Errno.E2BIG; return null; }
            }
            return strings;
        }

        /// <summary>The image a path names: 0, or a negative errno.</summary>
        private static long Find(string name, out byte* image, out ulong size, out bool owned)
        {
            image = null; size = 0; owned = false;
            if (name == "/proc/self/exe")
            {
                if (s_image == null) return -(long)Errno.ENOENT;
                image = s_image; size = s_size;
                return 0;
            }
            if (Files.Volume != null)
            {
                long r = Files.Stat(name, out FileStat st);
                if (r == 0)
                {
                    if ((st.Mode & 0xF000) != 0x8000 || (st.Mode & 0x49) == 0) return -(long)Errno.EACCES;
                    if (st.Size > MaxFile) return -(long)Errno.ENOMEM;
                    return ReadFile(name, st.Size, out image, out size, out owned);
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

        private static long ReadFile(string name, ulong length, out byte* image, out ulong size, out bool owned)
        {
            image = null; size = 0; owned = false;
            long fd = Files.Open(name, 0);
            if (fd < 0) return fd;
            byte* buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(length == 0 ? 1 : length));
            ulong done = 0;
            while (done < length)
            {
                long n = Files.Read((int)fd, buffer + done, length - done);
                if (n <= 0) break;
                done += (ulong)n;
            }
            Files.Close((int)fd);
            image = buffer; size = done; owned = true;
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
            result[n++] = interpreter;
            if (argument != null) result[n++] = argument;
            result[n++] = path;
            for (int k = 1; k < arguments.Length; k++) result[n++] = arguments[k];
            total += interpreter.Length + path.Length + (argument != null ? argument.Length : 0) + 32;
            return result;
        }
    }
}
