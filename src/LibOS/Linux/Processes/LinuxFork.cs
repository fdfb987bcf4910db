// fork, vfork and clone without CLONE_VM for a Linux process: ExOS's copy-on-write fork
// (Process.Fork with a finish of our own) over the whole address space: every mapped page of
// the foreign region and of ExOS's low part (heap, thread stacks) found by a page-table walk,
// ExOS's image (not its stack: nothing runs on it any more), the boot modules' directory and data modules (read-only), the process
// table and file table mapped shared, and the exception stack copied (the fork runs inside the ForeignSyscall
// upcall, so the child resumes on a copy of it and returns from the same upcall with rax 0).
// The kernel gives the child the caller's FS and GS bases, handler and foreign limit (EnvCreate).
// A tree holds at most ProcessTable.MaxProcesses processes (EAGAIN past it, as RLIMIT_NPROC).
// Missing: vfork's sharing (it is a fork here), threads (CLONE_VM answers EINVAL).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class LinuxFork
    {
        private const ulong CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneVfork = 0x4000,
            CloneThread = 0x10000, CloneSettls = 0x80000, ParentSettid = 0x100000, ChildCleartid = 0x200000, ChildSettid = 0x1000000;
        private const ulong Supported = 0xFF | CloneVfork | ParentSettid | ChildCleartid | ChildSettid | CloneVm;

        /// <summary>clone(flags, stack, parent_tid, child_tid, tls): a new process (no CLONE_VM
        /// unless with CLONE_VFORK, which is served as a fork whose child starts on the given
        /// stack: glibc's posix_spawn); threads are EINVAL.</summary>
        public static long Clone(ExceptionFrame* frame, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls)
        {
            if ((flags & (CloneThread | CloneSighand | CloneFs | CloneFiles | CloneSettls)) != 0) return -(long)Errno.EINVAL;
            if ((flags & CloneVm) != 0 && (flags & CloneVfork) == 0) return -(long)Errno.EINVAL;
            if ((flags & ~Supported) != 0) return -(long)Errno.EINVAL;
            if ((flags & 0xFF) != 17 && (flags & 0xFF) != 0) return -(long)Errno.EINVAL;   // only SIGCHLD (or nothing) at the end
            if (stack != 0 && (stack < LinuxLayout.Low || stack >= LinuxLayout.Limit)) return -(long)Errno.EINVAL;
            if ((flags & ParentSettid) != 0 && !UserPointers.Check(parentTid, 4, true)) return -(long)Errno.EFAULT;
            if ((flags & (ChildSettid | ChildCleartid)) != 0 && !UserPointers.Check(childTid, 4, true)) return -(long)Errno.EFAULT;
            long pid = Fork();
            if (pid < 0) return pid;
            if (pid == 0)
            {
                if ((flags & ChildSettid) != 0) *(int*)childTid = ProcessTable.Pid(Process.Id);
                if (stack != 0) frame->Registers.Rsp = stack;
                return 0;
            }
            if ((flags & ParentSettid) != 0) *(int*)parentTid = (int)pid;
            return pid;
        }

        /// <summary>clone3(args, size): clone's rules over struct clone_args (flags, pidfd,
        /// child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid...); the child
        /// starts at stack + stack_size when a stack is given. No pidfd, no set_tid.</summary>
        public static long Clone3(ExceptionFrame* frame, ulong args, ulong size)
        {
            if (size < 64 || size > 4096) return -(long)Errno.EINVAL;
            if (!UserPointers.Check(args, size, false)) return -(long)Errno.EFAULT;
            ulong* a = (ulong*)args;
            for (ulong i = 64; i < size; i++) if (((byte*)args)[i] != 0) return -(long)Errno.EINVAL;   // set_tid, cgroup: not served
            ulong flags = a[0], exitSignal = a[4], stack = a[5], stackSize = a[6];
            if ((flags & 0xFF) != 0 || exitSignal > 64 || (flags & 0x1000) != 0) return -(long)Errno.EINVAL;   // CLONE_PIDFD
            if ((stack == 0) != (stackSize == 0) || stack + stackSize < stack) return -(long)Errno.EINVAL;
            return Clone(frame, flags | exitSignal, stack == 0 ? 0 : stack + stackSize, a[3], a[2], a[7]);
        }

        /// <summary>The child's pid in the parent, 0 in the child, or a negative errno.</summary>
        public static long Fork()
        {
            if (!Children.HasRoom || ProcessTable.LiveCount() >= ProcessTable.MaxProcesses) return -(long)Errno.EAGAIN;
            long r = Process.Fork(&Finish);
            if (r < 0) return -(long)Errno.EAGAIN;
            if (r == 0)
            {
                Children.ForgetAll();
                Signals.InChild();
                Scheduling.InChild();
                return 0;
            }
            long id = SystemCall.EnvIdOf((ulong)r);
            Children.Add((ulong)r, (ulong)id);
            return ProcessTable.Pid((ulong)id);
        }

        private static long Finish(ulong childRip, ulong childRsp)
        {
            long child = Process.CreateChild(childRip, childRsp);
            if (child < 0) return child;
            long r = ShareAll(child);
            if (r >= 0) r = CopyExceptionStack(child);
            long id = r >= 0 ? SystemCall.EnvIdOf((ulong)child) : 0;
            if (id < 0) r = id;
            if (r >= 0) ProcessTable.StartChild((ulong)id, Process.Id);       // before it runs: kill finds it at once
            if (r >= 0) r = SystemCall.SliceAlloc((ulong)child);
            if (r >= 0) r = SystemCall.EnvSetStatus((ulong)child, EnvStatus.Runnable);
            if (r < 0)
            {
                SystemCall.EnvDestroy((ulong)child);
                return r;
            }
            return child;
        }

        private static long ShareAll(long child)
        {
            long r = CopyOnWrite(child, LinuxLayout.Low, ProcessTable.Base);
            if (r >= 0) r = Shared(child, ProcessTable.Base, ProcessTable.End);
            if (r >= 0) r = CopyOnWrite(child, ProcessTable.End, Layout.SharedPages);
            if (r >= 0) r = Process.ShareWritablePages(child);                   // the file table and the pipes' pages
            // Not the console's ring: the kernel writes its frame, so the parent's page must stay
            // that frame, writable (copy-on-write would move the parent's reads to a copy).
            if (r >= 0) r = CopyOnWrite(child, Layout.SharedPagesLimit, Layout.ConsoleRing);
            if (r >= 0) r = CopyOnWrite(child, Layout.ConsoleRing + 4096, Layout.FileTable);
            if (r >= 0) r = CopyOnWrite(child, Layout.FileTable + 4096, Layout.TempPage);
            if (r >= 0) r = CopyOnWrite(child, Layout.TempPage + 4096, Layout.ExceptionStackBase);
            if (r >= 0) r = CopyOnWrite(child, Layout.ExceptionStackTop, LinuxLayout.Limit);
            if (r >= 0) r = Process.ShareRange(child, Startup.ImageStart, Startup.ImageEnd);
            // Not ExOS's own stack: once the foreign code runs, the library OS runs on the exception stack only.
            if (r >= 0) r = ShareDataModules(child);
            return r;
        }

        /// <summary>The boot modules' directory and the data modules (what execve may load),
        /// read-only as they are; not the program modules, which no Linux process runs.</summary>
        private static long ShareDataModules(long child)
        {
            if (BootModules.Count == 0) return 0;
            long r = Process.ShareRange(child, UserLayout.BootModules, UserLayout.BootModules + 4096);
            for (int i = 0; r >= 0 && i < BootModules.Count; i++)
            {
                if (!BootModules.IsFile(i)) continue;
                ulong start = (ulong)BootModules.Image(i) & ~0xFFFUL, end = ((ulong)BootModules.Image(i) + BootModules.Size(i) + 4095) & ~0xFFFUL;
                r = Process.ShareRange(child, start, end);
            }
            return r;
        }

        /// <summary>Every mapped page of [start, end) copy-on-write in both (read-only pages as they are).</summary>
        private static long CopyOnWrite(long child, ulong start, ulong end)
        {
            ulong va = start;
            while (va < end)
            {
                ulong first = PageWalk.NextMapped(va, end);
                if (first >= end) return 0;
                ulong last = PageWalk.NextUnmapped(first, end);
                long r = Process.ShareRange(child, first, last);
                if (r < 0) return r;
                va = last;
            }
            return 0;
        }

        /// <summary>Every mapped page of [start, end) into the child writable: the same frames.</summary>
        private static long Shared(long child, ulong start, ulong end)
        {
            for (ulong page = start; page < end; page += 4096)
            {
                PageInfo info;
                SystemCall.PageQuery(page, &info);
                if (info.Flags == 0) continue;
                long r = SystemCall.PageMap((ulong)child, page, info.FrameHandle, PageFlags.Writable);
                if (r < 0) return r;
            }
            return 0;
        }

        /// <summary>The exception stack as it is now, into fresh frames for the child.</summary>
        private static long CopyExceptionStack(long child)
        {
            for (ulong page = Layout.ExceptionStackBase; page < Layout.ExceptionStackTop; page += 4096)
            {
                long frame = SystemCall.FrameAlloc();
                if (frame < 0) return frame;
                long r = SystemCall.PageMap(Capability.Self, Layout.TempPage, (ulong)frame, PageFlags.Writable);
                if (r >= 0)
                {
                    System.Buffer.MemoryCopy((void*)page, (void*)Layout.TempPage, 4096, 4096);
                    SystemCall.PageUnmap(Capability.Self, Layout.TempPage);
                    r = SystemCall.PageMap((ulong)child, page, (ulong)frame, PageFlags.Writable);
                }
                SystemCall.FrameFree((ulong)frame);
                if (r < 0) return r;
            }
            return 0;
        }
    }
}
