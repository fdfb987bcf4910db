// Environments as processes: Fork (copy-on-write, done entirely in user space from the
// page-fault upcall, after JOS's lib/fork.c) and ForkWith, the primitive under it (exo_fork
// in start.asm) that lets a program choose its own copying policy (dumbfork does).
// The child gets a time slot and runs; Fork returns its handle in the parent, 0 in the child.
// The file table page (Layout.FileTable) and the pages mapped in Layout.SharedPages (pipes) are
// shared writable, not copied (POSIX's shared offsets, a pipe's buffer); ShareWritablePages does it.
// ExOS's exit policy (AtExit, the kernel has none): children this environment made and never
// started are destroyed (at most MaxUnstarted are tracked), and the holder of the machine
// capability sets the machine's power-off status to its exit status. Spawning from an image is
// Spawn.cs. Wait reaps a child: it yields until the child's row says it ended, then drops the
// capability (Release), so a program that forks and reaps never fills its table.
// Missing: freeing page-table frames early.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Process
    {
        private const ulong PageSize = 4096;

        [RuntimeImport("exo_fork")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern long ForkPrimitive(delegate*<ulong, ulong, long> finish);

        /// <summary>Forks with a custom finish(childRip, childRsp) that must create the child
        /// (EnvCreate), set its rip and rsp to these, give it memory, a slot, and start it;
        /// returns what finish returns in the parent, 0 in the child.</summary>
        public static long ForkWith(delegate*<ulong, ulong, long> finish) => ForkPrimitive(finish);

        /// <summary>Copy-on-write fork: handle of the child in the parent, 0 in the child, or a
        /// negative Abi.Error.</summary>
        public static long Fork() => Fork(&FinishCopyOnWrite);

        /// <summary>Fork with a custom finish (as ForkWith) and the rest of ExOS's fork hooks
        /// around it (SetForkHooks): a library OS that copies more than ExOS's own regions (the
        /// Linux library OS copies the foreign binary's) keeps ExOS's files working in the child.</summary>
        public static long Fork(delegate*<ulong, ulong, long> finish)
        {
            for (int i = 0; i < s_hooks; i++) if (s_beforeFork[i] != 0) ((delegate*<bool, void>)s_beforeFork[i])(false);
            long r = ForkPrimitive(finish);
            if (r < 0) for (int i = 0; i < s_hooks; i++) if (s_beforeFork[i] != 0) ((delegate*<bool, void>)s_beforeFork[i])(true);
            if (r == 0) for (int i = 0; i < s_hooks; i++) if (s_inChild[i] != 0) ((delegate*<void>)s_inChild[i])();
            return r;
        }

        public const int MaxForkHooks = 4;
        private static int s_hooks;
        private static readonly nint[] s_beforeFork = new nint[MaxForkHooks];     // delegate*<bool, void>
        private static readonly nint[] s_inChild = new nint[MaxForkHooks];        // delegate*<void>

        /// <summary>Adds hooks of the rest of ExOS around Fork (at most MaxForkHooks pairs, run in the
        /// order added; false when full): before(false) in the parent before it (before(true) when the
        /// fork failed), inChild() in the child as it starts. A pair already added is not added twice.</summary>
        public static bool AddForkHooks(delegate*<bool, void> before, delegate*<void> inChild)
        {
            for (int i = 0; i < s_hooks; i++)
                if (s_beforeFork[i] == (nint)before && s_inChild[i] == (nint)inChild) return true;
            if (s_hooks == MaxForkHooks) return false;
            s_beforeFork[s_hooks] = (nint)before;
            s_inChild[s_hooks] = (nint)inChild;
            s_hooks++;
            return true;
        }

        public static ulong Id => SystemCall.EnvId();

        /// <summary>The endpoint for the environment that made this one (Call and Yield rights; its
        /// badge is this environment's id), as EnvCreate leaves it.</summary>
        public const ulong Parent = Capability.Parent;

        public const int MaxUnstarted = 64;
        private static readonly ulong[] s_unstarted = new ulong[MaxUnstarted];
        private static int s_unstartedCount;
        private static ulong s_unstartedOwner;      // the list is this environment's (a forked child inherits a copy)

        /// <summary>child was made (EnvCreate) and not yet made runnable.</summary>
        public static void NoteUnstarted(ulong child)
        {
            ulong me = Id;
            if (s_unstartedOwner != me) { s_unstartedOwner = me; s_unstartedCount = 0; }
            if (s_unstartedCount < MaxUnstarted) s_unstarted[s_unstartedCount++] = child;
        }

        /// <summary>child was made runnable: it is no longer ended at exit.</summary>
        public static void NoteStarted(ulong child)
        {
            if (s_unstartedOwner != Id) return;
            for (int i = 0; i < s_unstartedCount; i++)
                if (s_unstarted[i] == child) { s_unstarted[i] = s_unstarted[--s_unstartedCount]; return; }
        }

        /// <summary>Before the Exit system call: destroys the children never started, and, in the
        /// holder of the machine capability, makes status (0-126; others become 125) the
        /// machine's power-off status.</summary>
        public static void AtExit(int status)
        {
            if (s_unstartedOwner == Id)
            {
                for (int i = 0; i < s_unstartedCount; i++) SystemCall.EnvDestroy(s_unstarted[i]);
                s_unstartedCount = 0;
            }
            ulong machine = BootModules.Machine;
            if (machine != 0) SystemCall.MachineStatus(machine, status >= 0 && status <= 126 ? (ulong)status : 125);
        }

        private static AccountLimits s_nextChild;

        /// <summary>The next child this process creates (Fork, Spawn, CreateChild) gets an account
        /// of its own with these limits, taken from this one's (docs/abi.md, "Accounting"); after
        /// it, children share this process's account again. The library's policy, not the kernel's.</summary>
        public static void GiveNextChild(ulong frames, ulong envs, ulong timeSlots = 1)
        {
            s_nextChild = new AccountLimits { Frames = frames, Envs = envs, TimeSlots = timeSlots };
        }

        /// <summary>Creates a child that will start at rip with rsp, rdi and rsi (not yet runnable).</summary>
        public static long CreateChild(ulong rip, ulong rsp, ulong rdi = 0, ulong rsi = 0)
        {
            AccountLimits limits = s_nextChild;
            long child = SystemCall.EnvCreate(limits.Envs != 0 ? &limits : null);
            s_nextChild = default;
            if (child <= 0) return child == 0 ? (long)Error.BadArgument : child;
            Registers registers = default;
            registers.Rip = rip;
            registers.Rsp = rsp;
            registers.Rdi = rdi;
            registers.Rsi = rsi;
            registers.Rflags = 0x202;
            long r = SystemCall.EnvSetRegisters((ulong)child, &registers);
            if (r < 0)
            {
                SystemCall.EnvDestroy((ulong)child);
                return r;
            }
            return child;
        }

        /// <summary>Gives the child an exception stack of its own, a time slot, and starts it.</summary>
        public static long Start(ulong child)
        {
            long r;
            for (ulong page = Layout.ExceptionStackBase; page < Layout.ExceptionStackTop; page += PageSize)
            {
                long frame = SystemCall.FrameAlloc();
                if (frame < 0) return frame;
                r = SystemCall.PageMap(child, page, (ulong)frame, PageFlags.Writable);
                SystemCall.FrameFree((ulong)frame);
                if (r < 0) return r;
            }
            r = SystemCall.SliceAlloc(child);
            if (r < 0) return r;
            return SystemCall.EnvSetStatus(child, EnvStatus.Runnable);
        }

        /// <summary>Drops the capability for a child (ended or not): the handle is stale afterwards.</summary>
        public static long Release(ulong child) => SystemCall.CapDrop(child);

        /// <summary>Waits until the child has ended, drops its capability and returns its exit
        /// status (126: killed), or a negative Abi.Error for a handle that names no child.</summary>
        public static long Wait(ulong child)
        {
            long id = SystemCall.EnvIdOf(child);
            if (id < 0) return id;
            while (true)
            {
                EnvRecord row = KernelTables.Environment((ulong)id);
                if (row.Id != (ulong)id || (row.Status & EnvRecord.Ended) != 0)
                {
                    Release(child);
                    return row.Id == (ulong)id ? (long)row.ExitStatus : 126;
                }
                SystemCall.Yield(child);
            }
        }

        private static ulong s_alsoStart, s_alsoEnd;

        /// <summary>Fork also copies [start, end) (copy-on-write, its mapped pages): memory a program
        /// keeps outside ExOS's own regions (a test standing in for a foreign program's pages).</summary>
        public static void AlsoCopy(ulong start, ulong end)
        {
            s_alsoStart = start;
            s_alsoEnd = end;
        }

        private static long FinishCopyOnWrite(ulong childRip, ulong childRsp)
        {
            long r = Exceptions.SetHandler(&CopyOnWriteFault);
            if (r < 0) return r;
            long child = CreateChild(childRip, childRsp);
            if (child < 0) return child;
            r = ShareRange(child, Startup.ImageStart, Startup.ImageEnd);
            if (r >= 0) r = ShareRange(child, Layout.HeapBase, Memory.HeapBreak);
            if (r >= 0) r = ShareRange(child, UserLayout.StackTop - UserLayout.StackSize, UserLayout.StackTop);
            if (r >= 0) r = ShareWritablePages(child);
            if (r >= 0 && s_alsoEnd > s_alsoStart) r = ShareRange(child, s_alsoStart, s_alsoEnd);
            if (r >= 0) r = Start((ulong)child);
            if (r < 0)
            {
                SystemCall.EnvDestroy((ulong)child);
                return r;
            }
            return child;
        }

        /// <summary>Maps every page of [start, end) into the child: writable pages copy-on-write
        /// in both (the kernel's PageShare: the child's mapping first, so the parent's own writes
        /// cannot reach the child's view); read-only and already copy-on-write pages stay as they
        /// are in the caller. The exception stack is never shared (each has its own).</summary>
        public static long ShareRange(long child, ulong start, ulong end)
        {
            if (start < Layout.ExceptionStackTop && end > Layout.ExceptionStackBase)
            {
                long r = start < Layout.ExceptionStackBase ? ShareRange(child, start, Layout.ExceptionStackBase) : 0;
                return r < 0 || end <= Layout.ExceptionStackTop ? r : ShareRange(child, Layout.ExceptionStackTop, end);
            }
            if (end <= start) return 0;
            return SystemCall.PageShare((ulong)child, start, (end - start) / PageSize, PageFlags.CopyOnWrite);
        }

        /// <summary>Maps the file table page and every page mapped in Layout.SharedPages writable into
        /// the child, the same frames (a fork with its own policy, ForkWith, calls this too).</summary>
        public static long ShareWritablePages(long child)
        {
            long r = ShareWritable(child, Layout.FileTable);
            for (ulong page = Layout.SharedPages; r >= 0 && page < Layout.SharedPagesLimit; page += PageSize)
                if ((KernelTables.PageEntry(page) & 1) != 0) r = ShareWritable(child, page);
            return r;
        }

        /// <summary>Maps the page at address, when there is one, writable into the child: the same
        /// frame, shared, not copied.</summary>
        private static long ShareWritable(long child, ulong address)
        {
            PageInfo info;
            SystemCall.PageQuery(address, &info);
            if (info.Flags == 0) return 0;
            return SystemCall.PageMap((ulong)child, address, info.FrameHandle, PageFlags.Writable);
        }

        private static void CopyOnWriteFault(ExceptionFrame* frame)
        {
            if (CopyOnWrite(frame)) return;
            if (Exceptions.RaiseManaged(frame)) return;
            System.Console.WriteLine("exos: unhandled fault " + frame->Vector.ToString() + " at va 0x" + frame->FaultAddress.ToString("x") +
                                     ", rip 0x" + frame->Registers.Rip.ToString("x"));
            SystemCall.EnvDestroy(Capability.Self);
        }

        /// <summary>Serves a write fault on a copy-on-write page (the page gets a private copy);
        /// false, touching nothing, for any other fault. Writes no memory but the new frame and
        /// the stack, so it may run nested inside another handler.</summary>
        public static bool CopyOnWrite(ExceptionFrame* frame)
        {
            if (frame->Vector != 14 || (frame->ErrorCode & 2) == 0) return false;
            ulong page = frame->FaultAddress & ~(PageSize - 1);
            PageInfo info;
            SystemCall.PageQuery(page, &info);
            if ((info.Flags & PageFlags.CopyOnWrite) == 0) return false;
            if (!CopyPage(page, &info))
            {
                System.Console.WriteLine("exos: out of memory for a copy-on-write page");
                SystemCall.EnvDestroy(Capability.Self);
            }
            return true;
        }

        /// <summary>Gives the copy-on-write page at page a private writable copy; a frame no one else
        /// holds any more (the frame table's count is our one capability: the other side copied,
        /// ran another program or ended) is made writable in place when that capability allows it.</summary>
        private static bool CopyPage(ulong page, PageInfo* info)
        {
            if (KernelTables.FrameReferences(info->Frame) == 1 &&
                SystemCall.PageMap(Capability.Self, page, info->FrameHandle, (info->Flags & PageFlags.Executable) | PageFlags.Writable) >= 0) return true;
            long copy = SystemCall.FrameAlloc();
            if (copy < 0) return false;
            if (SystemCall.PageMap(Capability.Self, Layout.TempPage, (ulong)copy, PageFlags.Writable) < 0)
            {
                SystemCall.FrameFree((ulong)copy);
                return false;
            }
            System.Buffer.MemoryCopy((void*)page, (void*)Layout.TempPage, (long)PageSize, (long)PageSize);
            SystemCall.PageMap(Capability.Self, page, (ulong)copy, (info->Flags & PageFlags.Executable) | PageFlags.Writable);
            SystemCall.PageUnmap(Capability.Self, Layout.TempPage);
            SystemCall.FrameFree(info->FrameHandle);
            return true;
        }

        /// <summary>Makes the page holding address writable now when it is copy-on-write (what the
        /// fault handler would do at the first write), for code that checks a buffer before it
        /// writes into it and must not fault (a library OS serving a foreign program's read): true
        /// when the page is mapped writable afterwards.</summary>
        public static bool MakeWritable(ulong address)
        {
            ulong page = address & ~(PageSize - 1);
            PageInfo info;
            SystemCall.PageQuery(page, &info);
            if ((info.Flags & PageFlags.Writable) != 0) return true;
            if ((info.Flags & PageFlags.CopyOnWrite) == 0) return false;
            return CopyPage(page, &info);
        }
    }
}
