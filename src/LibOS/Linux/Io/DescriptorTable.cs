// The foreign process's descriptor table: descriptor -> the object it names (OpenObject) and its
// close-on-exec bit. It lives in the library OS's own memory, so a copy-on-write fork
// (ExOS.Process.Fork) copies it; the fork hook gives each copied descriptor's object its child
// reference (pipe ends; ExOS's own hook does files). Start puts the console on 0, 1 and 2.
// Invariant: an object is in at most one slot. Missing: a limit other than Max (RLIMIT_NOFILE).
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class DescriptorTable
    {
        public const int Max = 64;
        public const int CloseOnExecFlag = 1;      // FD_CLOEXEC

        private static OpenObject[] s_objects;
        private static bool[] s_closeOnExec;

        /// <summary>A fresh table: the console on 0, 1 and 2.</summary>
        /// <summary>The table of a new process tree: the console at 0, 1 and 2. Once: an execve keeps
        /// the table (its close-on-exec descriptors are closed through Exec.CloseOnExec).</summary>
        public static void Start()
        {
            if (s_objects != null) return;
            Processes.Exec.CloseOnExec = &CloseOnExec;
            s_objects = new OpenObject[Max];
            s_closeOnExec = new bool[Max];
            for (int fd = 0; fd < 3; fd++) s_objects[fd] = new ConsoleObject();
            Process.AddForkHooks(&BeforeFork, &InChild);
        }

        /// <summary>The object fd names, or null (EBADF).</summary>
        public static OpenObject Get(ulong fd) => fd < Max ? s_objects[fd] : null;

        public static OpenObject Get(ulong fd, out long error)
        {
            OpenObject o = Get(fd);
            error = o == null ? -(long)Errno.EBADF : 0;
            return o;
        }

        /// <summary>Puts o in the lowest free slot at or above lowest: the descriptor, or -EMFILE
        /// (then o is closed, so its reference is not lost).</summary>
        public static long Add(OpenObject o, bool closeOnExec, int lowest = 0)
        {
            for (int fd = lowest < 0 ? 0 : lowest; fd < Max; fd++)
                if (s_objects[fd] == null)
                {
                    s_objects[fd] = o;
                    s_closeOnExec[fd] = closeOnExec;
                    return fd;
                }
            o.Close();
            return -(long)Errno.EMFILE;
        }

        /// <summary>Is there a free slot (before making something that needs one)?</summary>
        public static int Free()
        {
            int n = 0;
            for (int fd = 0; fd < Max; fd++) if (s_objects[fd] == null) n++;
            return n;
        }

        public static long Close(ulong fd)
        {
            OpenObject o = Get(fd);
            if (o == null) return -(long)Errno.EBADF;
            s_objects[fd] = null;
            s_closeOnExec[fd] = false;
            o.Close();
            return 0;
        }

        public static long Dup(ulong fd, int lowest, bool closeOnExec)
        {
            OpenObject o = Get(fd, out long error);
            if (o == null) return error;
            if (lowest < 0 || lowest >= Max) return -(long)Errno.EINVAL;
            int free = lowest;
            while (free < Max && s_objects[free] != null) free++;
            if (free == Max) return -(long)Errno.EMFILE;
            OpenObject copy = o.Duplicate();
            if (copy == null) return -(long)Errno.EMFILE;
            return Add(copy, closeOnExec, free);
        }

        /// <summary>dup2 and dup3: to names what from names (to closed first, silently).</summary>
        public static long DupTo(ulong from, ulong to, bool closeOnExec)
        {
            OpenObject o = Get(from, out long error);
            if (o == null) return error;
            if (to >= Max) return -(long)Errno.EBADF;
            OpenObject copy = o.Duplicate();
            if (copy == null) return -(long)Errno.EMFILE;
            OpenObject old = s_objects[to];
            s_objects[to] = copy;
            s_closeOnExec[to] = closeOnExec;
            if (old != null) old.Close();
            return (long)to;
        }

        public static long GetCloseOnExec(ulong fd)
        {
            if (Get(fd) == null) return -(long)Errno.EBADF;
            return s_closeOnExec[fd] ? CloseOnExecFlag : 0;
        }

        public static long SetCloseOnExec(ulong fd, bool on)
        {
            if (Get(fd) == null) return -(long)Errno.EBADF;
            s_closeOnExec[fd] = on;
            return 0;
        }

        /// <summary>How many descriptors of this process name the given end of the pipe in slot.</summary>
        public static int CountPipeEnds(int slot, bool writeEnd)
        {
            int n = 0;
            for (int fd = 0; fd < Max; fd++)
                if (s_objects[fd] is PipeEnd p && p.Slot == slot && p.WriteEnd == writeEnd) n++;
            return n;
        }

        /// <summary>execve: closes every descriptor marked close-on-exec.</summary>
        public static void CloseOnExec()
        {
            for (int fd = 0; fd < Max; fd++)
                if (s_objects[fd] != null && s_closeOnExec[fd]) Close((ulong)fd);
        }

        /// <summary>At exit: closes every descriptor (pipe ends release their references, so the
        /// other ends see end of file or EPIPE).</summary>
        public static void CloseAll()
        {
            if (s_objects == null) return;
            for (int fd = 0; fd < Max; fd++)
                if (s_objects[fd] != null) Close((ulong)fd);
        }

        private static void BeforeFork(bool undo)
        {
            for (int fd = 0; fd < Max; fd++)
                if (s_objects[fd] != null) s_objects[fd].Fork(undo);
        }

        private static void InChild() { }
    }
}
