// The process calls that need no more than the process table: identities (a pid is the ExOS
// environment id), kill and its variants (to a process, a group, every process of the tree),
// process groups and sessions as ash uses them, and the sleeping calls (nanosleep,
// clock_nanosleep, pause, rt_sigsuspend), which block on a wakeup predicate over
// the process's own Events word so a signal ends them early. Missing: a controlling terminal
// (tcsetpgrp lives with the console), permission checks (every process of a tree may signal
// every other: one user).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class ProcessCalls
    {
        public static long GetPid() => ProcessTable.Pid(Process.Id);

        /// <summary>reboot(magic, magic2, cmd, arg): POWER_OFF, RESTART and HALT end the whole
        /// process tree (the run: the files synced, every other process sent SIGKILL with its row
        /// marked Halting so it ends with status 0, then the caller exits 0); CAD_ON and CAD_OFF
        /// are accepted (no Ctrl-Alt-Del here). Bad magic numbers or another command: EINVAL.
        /// Missing: a restart that boots again (the run ends either way), RESTART2's string.</summary>
        public static long Reboot(ulong magic, ulong magic2, ulong command)
        {
            const uint PowerOff = 0x4321FEDC, Restart = 0x01234567, Halt = 0xCDEF0123, CadOn = 0x89ABCDEF, CadOff = 0;
            if ((uint)magic != 0xFEE1DEAD) return -(long)Errno.EINVAL;
            uint m2 = (uint)magic2;
            if (m2 != 672274793 && m2 != 85072278 && m2 != 369367448 && m2 != 537993216) return -(long)Errno.EINVAL;
            uint cmd = (uint)command;
            if (cmd == CadOn || cmd == CadOff) return 0;
            if (cmd != PowerOff && cmd != Restart && cmd != Halt) return -(long)Errno.EINVAL;
            if (Files.Volume != null) Files.Sync();
            ulong me = Process.Id;
            for (int i = 0; i < ProcessTable.Rows; i++)
            {
                ProcessRow* row = ProcessTable.Row(i);
                if (!ProcessTable.IsLive(row) || row->Id == me) continue;
                row->Halting = 1;
                ProcessTable.Post(row, Signals.Sigkill);
            }
            ProcessExit.Exit(0);
            return 0;
        }

        public static long GetParentPid() => ProcessTable.Pid(ProcessTable.Self->Parent);

        public static long Kill(long pid, ulong signal)
        {
            if (signal > Signals.Count) return -(long)Errno.EINVAL;
            int sig = (int)signal;
            pid = (int)pid;
            if (pid > 0)
            {
                ProcessRow* row = ProcessTable.Find(pid);
                if (row == null) return -(long)Errno.ESRCH;
                Send(row, sig);
                return 0;
            }
            long group = pid == 0 ? ProcessTable.Self->Pgid : -pid;
            int sent = 0;
            ulong me = Process.Id;
            for (int i = 0; i < ProcessTable.Rows; i++)
            {
                ProcessRow* row = ProcessTable.Row(i);
                if (!ProcessTable.IsLive(row)) continue;
                if (pid == -1 ? row->Id == me : row->Pgid != group) continue;
                Send(row, sig);
                sent++;
            }
            return sent > 0 ? 0 : -(long)Errno.ESRCH;
        }

        /// <summary>tgkill(tgid, tid, signal): one thread per process, so tid must be the process.</summary>
        public static long ThreadKill(long tgid, long tid, ulong signal)
        {
            if (tgid <= 0 || tid <= 0) return -(long)Errno.EINVAL;
            if (tgid != tid) return -(long)Errno.ESRCH;
            return Kill(tid, signal);
        }

        public static long TKill(long tid, ulong signal) => tid <= 0 ? -(long)Errno.EINVAL : Kill(tid, signal);

        /// <summary>Posts signal (0: only the check) to row; SIGKILL to a child of ours ends it at
        /// once through its capability (it may be running without system calls).</summary>
        private static void Send(ProcessRow* row, int signal)
        {
            if (signal == 0) return;
            if (signal == Signals.Sigkill)
            {
                ulong handle = Children.HandleOf(ProcessTable.Pid(row->Id));
                if (handle != 0)
                {
                    row->WaitStatus = Signals.Sigkill;
                    System.Threading.Volatile.Write(ref row->State, ProcessRow.Ended);
                    SystemCall.EnvDestroy(handle);
                    ProcessTable.Post(ProcessTable.Self, Signals.Sigchld);
                    return;
                }
            }
            ProcessTable.Post(row, signal);
        }

        public static long SetPgid(long pid, long pgid)
        {
            pid = (int)pid; pgid = (int)pgid;
            if (pgid < 0 || pid < 0) return -(long)Errno.EINVAL;
            long self = GetPid();
            if (pid == 0) pid = self;
            if (pgid == 0) pgid = pid;
            if (pid != self && Children.HandleOf(pid) == 0) return -(long)Errno.ESRCH;
            ProcessRow* row = ProcessTable.Find(pid);
            if (row == null) return -(long)Errno.ESRCH;
            ProcessRow* me = ProcessTable.Self;
            if (row->Sid == pid || row->Sid != me->Sid) return -(long)Errno.EPERM;
            if (pgid != pid && !GroupExists(pgid, me->Sid)) return -(long)Errno.EPERM;
            row->Pgid = (int)pgid;
            return 0;
        }

        private static bool GroupExists(long pgid, int sid)
        {
            for (int i = 0; i < ProcessTable.Rows; i++)
            {
                ProcessRow* row = ProcessTable.Row(i);
                if (ProcessTable.IsLive(row) && row->Pgid == pgid && row->Sid == sid) return true;
            }
            return false;
        }

        public static long GetPgid(long pid)
        {
            ProcessRow* row = (int)pid == 0 ? ProcessTable.Self : ProcessTable.Find((int)pid);
            return row == null ? -(long)Errno.ESRCH : row->Pgid;
        }

        public static long GetSid(long pid)
        {
            ProcessRow* row = (int)pid == 0 ? ProcessTable.Self : ProcessTable.Find((int)pid);
            return row == null ? -(long)Errno.ESRCH : row->Sid;
        }

        public static long SetSid()
        {
            long self = GetPid();
            if (GroupExists(self, ProcessTable.Self->Sid) || ProcessTable.Self->Pgid == self) return -(long)Errno.EPERM;
            ProcessTable.Self->Pgid = ProcessTable.Self->Sid = (int)self;
            return self;
        }

        public static long NanoSleep(ulong request, ulong remaining) => Sleep(request, remaining, false, false);

        /// <summary>clock_nanosleep(clock, flags, request, remaining): REALTIME and MONOTONIC.</summary>
        public static long ClockNanoSleep(ulong clock, ulong flags, ulong request, ulong remaining)
        {
            if (clock != 0 && clock != 1 && clock != 7) return -(long)Errno.EINVAL;
            if ((flags & ~1UL) != 0) return -(long)Errno.EINVAL;
            return Sleep(request, remaining, (flags & 1) != 0, clock == 0);
        }

        private static long Sleep(ulong request, ulong remaining, bool absolute, bool realtime)
        {
            if (!UserPointers.Check(request, 16, false)) return -(long)Errno.EFAULT;
            if (remaining != 0 && !absolute && !UserPointers.Check(remaining, 16, true)) return -(long)Errno.EFAULT;
            long seconds = ((long*)request)[0], nanos = ((long*)request)[1];
            if (seconds < 0 || nanos < 0 || nanos >= 1_000_000_000) return -(long)Errno.EINVAL;
            ulong now = Clock.Ticks;
            ulong ticks = (ulong)(seconds > 100_000_000 ? 100_000_000 : seconds) * 100 + ((ulong)nanos + 9_999_999) / 10_000_000;
            if (absolute)
            {
                ulong nowTicks = realtime ? Clock.UnixSeconds * 100 + now % 100 : now;
                ticks = ticks > nowTicks ? ticks - nowTicks : 0;
            }
            ulong end = now + ticks;
            while (true)
            {
                now = Clock.Ticks;
                if (now >= end) return 0;
                if (Signals.Interrupting())
                {
                    if (remaining != 0 && !absolute)
                    {
                        ulong left = end - now;
                        ((long*)remaining)[0] = (long)(left / 100);
                        ((long*)remaining)[1] = (long)(left % 100 * 10_000_000);
                    }
                    return -(long)Errno.EINTR;
                }
                Block(end - now);
            }
        }

        /// <summary>pause: until a signal with a handler (or one that ends the process) arrives.</summary>
        public static long Pause()
        {
            while (!Signals.Interrupting()) Block(100);
            return -(long)Errno.EINTR;
        }

        /// <summary>Blocks for at most ticks (and never past the alarm) or until this process's Events change.</summary>
        public static void Block(ulong ticks)
        {
            ulong alarm = Signals.TicksToAlarm();
            if (alarm < ticks) ticks = alarm;
            if (ticks == 0) return;
            if (ticks > 100) ticks = 100;
            ProcessRow* me = ProcessTable.Self;
            uint seen = System.Threading.Volatile.Read(ref me->Events);
            if (Signals.Interrupting()) return;
            Children.WaitForEvents(&me->Events, seen, (uint)ticks);
        }
    }
}
