// A Linux process's children and their reaping: the capability and id of each child fork made
// (private to the process), wait4 and waitid over them. A child has ended when its process-table
// row says Ended (it is then past its last foreign instruction, on its way to the Exit call) or
// its environment-table row says so (or names another environment); its wait status is the one it
// left in its process-table row (exit code << 8, or the killing signal), else the kernel's exit
// status (126, killed by the kernel: SIGKILL). Reaping drops the child's capability (no leak) and
// forgets it, so each child is reaped once and then ECHILD. A blocked wait sleeps on a wakeup
// predicate over its own row's Events (a child's end and every signal bump it) with a 10-tick
// timeout, so a child the kernel killed is seen within 100 ms. WUNTRACED and WCONTINUED report a
// child's stop and continue once each (ProcessRow.Reports). Missing: rusage (zeroed).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class Children
    {
        public const int Max = 128;
        private static readonly ulong[] s_handle = new ulong[Max];
        private static readonly ulong[] s_id = new ulong[Max];
        private static int s_count;

        public static bool HasRoom => s_count < Max;

        public static void Add(ulong handle, ulong id)
        {
            s_handle[s_count] = handle;
            s_id[s_count] = id;
            s_count++;
        }

        /// <summary>In a forked child: the parent's children are not its own.</summary>
        public static void ForgetAll() => s_count = 0;

        /// <summary>The capability of the child with this pid, or 0.</summary>
        public static ulong HandleOf(long pid)
        {
            for (int i = 0; i < s_count; i++)
                if (ProcessTable.Pid(s_id[i]) == pid) return s_handle[i];
            return 0;
        }

        /// <summary>A handle a directed Yield to environment id may use: the creator's endpoint for
        /// the parent, the capability of a child; 0 (a plain Yield) for anyone else.</summary>
        public static ulong YieldHandle(ulong id)
        {
            if (id == 0) return 0;
            ProcessRow* me = ProcessTable.Self;
            if ((KernelTables.PageEntry((ulong)me) & 1) == 0) return 0;        // no process table: an ExOS program using Io
            if (id == me->Parent) return Capability.Parent;
            for (int i = 0; i < s_count; i++)
                if (s_id[i] == id) return s_handle[i];
            return 0;
        }

        private const ulong NoHang = 1, Untraced = 2, Exited = 4, Continued = 8, NoWait = 0x0100_0000;

        /// <summary>wait4(pid, status, options, rusage).</summary>
        public static long Wait4(long pid, ulong status, ulong options, ulong rusage)
        {
            if ((options & ~(NoHang | Untraced | Continued | 0x2000_0000 | 0x4000_0000 | 0x8000_0000)) != 0) return -(long)Errno.EINVAL;
            if (pid == int.MinValue) return -(long)Errno.ESRCH;
            if (status != 0 && !UserPointers.Check(status, 4, true)) return -(long)Errno.EFAULT;
            if (rusage != 0 && !UserPointers.Check(rusage, 144, true)) return -(long)Errno.EFAULT;
            int kind = pid < -1 ? 2 : pid == -1 ? 0 : pid == 0 ? 2 : 1;
            long which = pid < -1 ? -pid : pid == 0 ? ProcessTable.Self->Pgid : pid;
            long r = Reap(kind, which, options | Exited, out int word, out long childPid);
            if (r <= 0) return r;
            if (status != 0) *(int*)status = word;
            if (rusage != 0) System.Runtime.InteropServices.NativeMemory.Clear((void*)rusage, 144);
            return childPid;
        }

        /// <summary>waitid(idtype, id, infop, options, rusage): P_ALL 0, P_PID 1, P_PGID 2.</summary>
        public static long WaitId(ulong idType, ulong id, ulong info, ulong options, ulong rusage)
        {
            if (idType > 2 || (options & ~(NoHang | Untraced | Exited | Continued | NoWait | 2 | 0x2000_0000 | 0x4000_0000 | 0x8000_0000)) != 0) return -(long)Errno.EINVAL;
            if ((options & (Exited | Untraced | Continued)) == 0) return -(long)Errno.EINVAL;
            if (info != 0 && !UserPointers.Check(info, 128, true)) return -(long)Errno.EFAULT;
            if (rusage != 0 && !UserPointers.Check(rusage, 144, true)) return -(long)Errno.EFAULT;
            if (idType == 2 && id == 0) id = (ulong)ProcessTable.Self->Pgid;
            long r = Reap((int)idType, (long)id, options, out int word, out long childPid);
            if (r < 0) return r;
            if (info != 0)
            {
                System.Runtime.InteropServices.NativeMemory.Clear((void*)info, 128);
                if (r > 0)
                {
                    int* si = (int*)info;
                    si[0] = Signals.Sigchld;                               // si_signo
                    si[4] = (int)childPid;                                // si_pid
                    si[5] = 0;                                            // si_uid
                    if (word == 0xFFFF) { si[2] = 6; si[6] = 18; }         // CLD_CONTINUED, SIGCONT
                    else if ((word & 0xFF) == 0x7F) { si[2] = 5; si[6] = word >> 8; }   // CLD_STOPPED
                    else if ((word & 0x7F) == 0) { si[2] = 1; si[6] = (word >> 8) & 0xFF; }  // CLD_EXITED
                    else { si[2] = 2; si[6] = word & 0x7F; }                                   // CLD_KILLED
                }
            }
            if (rusage != 0) System.Runtime.InteropServices.NativeMemory.Clear((void*)rusage, 144);
            return 0;
        }

        /// <summary>Finds a child that matches (kind 0 any, 1 this pid, 2 this group) and has
        /// ended (Exited in options), stopped (Untraced) or continued (Continued), waiting unless
        /// NoHang: 1 with its wait status and pid (an ended child is reaped unless NoWait), 0
        /// (NoHang, nothing to report yet), or -ECHILD, Signals.Restart (a signal to deliver).</summary>
        private static long Reap(int kind, long which, ulong options, out int word, out long childPid)
        {
            bool noHang = (options & NoHang) != 0, keep = (options & NoWait) != 0;
            word = 0;
            childPid = 0;
            while (true)
            {
                bool any = false;
                ProcessRow* me = ProcessTable.Self;
                uint events = System.Threading.Volatile.Read(ref me->Events);
                for (int i = 0; i < s_count; i++)
                {
                    ulong id = s_id[i];
                    ProcessRow* row = ProcessTable.Row(ProcessTable.IndexOf(id));
                    int pid = ProcessTable.Pid(id);
                    if (kind == 1 && pid != which) continue;
                    if (kind == 2 && !(row->Id == id && row->Pgid == which)) continue;
                    any = true;
                    EnvRecord env = KernelTables.Environment(id);
                    bool recorded = row->Id == id && System.Threading.Volatile.Read(ref row->State) == ProcessRow.Ended;
                    bool live = !recorded && env.Id == id && (env.Status & EnvRecord.Ended) == 0;
                    if (live && row->Id == id)
                    {
                        int report = (options & Untraced) != 0 && (row->Reports & (1UL << ProcessRow.Stopped)) != 0 ? ProcessRow.Stopped
                            : (options & Continued) != 0 && (row->Reports & (1UL << ProcessRow.Continued)) != 0 ? ProcessRow.Continued : -1;
                        if (report >= 0 && (keep || ProcessTable.TakeReport(row, report)))
                        {
                            word = report == ProcessRow.Stopped ? (row->Stop << 8) | 0x7F : 0xFFFF;
                            childPid = pid;
                            return 1;
                        }
                    }
                    if (live || (options & Exited) == 0) continue;
                    if (recorded) word = row->WaitStatus;
                    else if (env.Id == id && env.ExitStatus != 126) word = (int)(env.ExitStatus & 0xFF) << 8;
                    else word = Signals.Sigkill;
                    childPid = pid;
                    if (!keep)
                    {
                        Process.Release(s_handle[i]);
                        s_handle[i] = s_handle[s_count - 1];
                        s_id[i] = s_id[s_count - 1];
                        s_count--;
                    }
                    return 1;
                }
                if (!any) return -(long)Errno.ECHILD;
                if (noHang) return 0;
                if (Signals.Interrupting()) return Signals.Restart;
                ulong alarm = Signals.TicksToAlarm();
                WaitForEvents(&me->Events, events, alarm < 10 ? (uint)(alarm + 1) : 10);
            }
        }

        /// <summary>Blocks until *word differs from seen or ticks timer ticks have passed.</summary>
        public static void WaitForEvents(uint* word, uint seen, uint ticks)
        {
            ProgramInstruction* program = stackalloc ProgramInstruction[6];
            program[0] = new ProgramInstruction(0xc0, 0, 0, 0);        // ld ctx[0]: the Events word
            program[1] = new ProgramInstruction(0x15, 0, 2, seen);     // jeq #seen (else ret 1)
            program[2] = new ProgramInstruction(0xc0, 0, 0, 4);        // ld ctx[4]: ticks since the wait began
            program[3] = new ProgramInstruction(0x35, 0, 1, ticks);    // jge #ticks
            program[4] = new ProgramInstruction(0x06, 0, 0, 1);        // ret #1
            program[5] = new ProgramInstruction(0x06, 0, 0, 0);        // ret #0
            ulong address = (ulong)word;
            SystemCall.PredicateWait(program, 6, &address, 1);
        }
    }
}
