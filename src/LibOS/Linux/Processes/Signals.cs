// Linux signals for one process: the actions (rt_sigaction: handler, SA_SIGINFO, SA_RESTORER,
// SA_RESTART, SA_NODEFER, SA_RESETHAND, SA_ONSTACK), the blocked mask, the alternate stack,
// and delivery. Signals arrive in the process-table row's Pending word (ProcessTable: kill from
// any process of the tree, SIGCHLD from an ending child, SIGALRM from the alarm); Deliver runs
// on every return from a ForeignSyscall upcall and at every slice start that finds the foreign
// code running (ExOS's slice prologue upcall), and takes the lowest deliverable one: ignored,
// ended (the default action: status = the signal, as wait4 encodes it), or a handler started
// on Linux's rt_sigframe (return address = sa_restorer, ucontext with the saved registers,
// mask, alternate stack and a pointer to the saved x87/SSE/AVX state, then siginfo) on the
// foreign stack. rt_sigreturn puts it all back. CPU exceptions in the foreign code become
// SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP delivered at once when a handler is installed and
// the signal not blocked, else the process ends. The stop signals' default stops the process
// (it waits in the library OS for SIGCONT or SIGKILL; its parent's wait4 sees WUNTRACED and
// WCONTINUED reports). Missing: real-time signal queues (one pending instance each), core dumps,
// SIGTSTP and friends discarded for orphaned groups,
// delivery in the middle of a slice (a loop without system calls waits for its next slice).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class Signals
    {
        public const int Sigkill = 9, Sigsegv = 11, Sigpipe = 13, Sigchld = 17, Sigstop = 19, Sigalrm = 14, Count = 64;
        /// <summary>What a blocking call returns to be restarted after a handler with SA_RESTART
        /// (or after a signal that needed no handler); EINTR otherwise.</summary>
        public const long Restart = -512;
        private const ulong Default = 0, Ignore = 1;
        private const ulong SaSiginfo = 4, SaRestorer = 0x0400_0000, SaOnstack = 0x0800_0000, SaRestart = 0x1000_0000,
            SaNodefer = 0x4000_0000, SaResethand = 0x8000_0000;
        private const ulong Unblockable = (1UL << (Sigkill - 1)) | (1UL << (Sigstop - 1));
        private const int SsOnstack = 1, SsDisable = 2;
        private const int FrameSize = 8 + UcontextSize + 128, UcontextSize = 304, Mcontext = 40;

        private static readonly ulong[] s_handler = new ulong[Count + 1];
        private static readonly ulong[] s_flags = new ulong[Count + 1];
        private static readonly ulong[] s_restorer = new ulong[Count + 1];
        private static readonly ulong[] s_mask = new ulong[Count + 1];
        private static ulong s_blocked;
        private static ulong s_altBase, s_altSize;
        private static bool s_altEnabled;
        private static ulong s_alarmTick;                   // the tick SIGALRM is due at (0: none)
        private static ulong s_alarmInterval;               // ticks between SIGALRMs (setitimer's interval)
        public static ulong Delivered;

        private static ulong s_suspendSaved;               // the mask rt_sigsuspend replaced, while it waits
        private static bool s_suspended;

        private static ulong Bit(int signal) => 1UL << (signal - 1);

        /// <summary>A forked child keeps actions, mask and alternate stack; its alarm is cleared.</summary>
        public static void InChild() { s_alarmTick = 0; s_alarmInterval = 0; StartSliceUpcalls(); LinuxFast.Refresh(); }

        /// <summary>Whether SIGALRM is due at some tick (the fast path then stands aside: LinuxFast).</summary>
        public static bool AlarmArmed => s_alarmTick != 0;

        /// <summary>Sends signal (1-64) to this process from inside a system call (a write to a
        /// pipe with no reader raises SIGPIPE): it is delivered as the call returns. A program that
        /// calls the Io entry points without being a process of a tree (no row) gets nothing.</summary>
        public static void Raise(int signal)
        {
            ProcessRow* row = ProcessTable.Self;
            if ((KernelTables.PageEntry((ulong)row) & 1) == 0 || row->Id != Process.Id) return;
            if (signal >= 1 && signal <= Count) ProcessTable.Post(row, signal);
        }

        /// <summary>At execve: handlers become the default (ignored signals stay ignored); no alternate stack.</summary>
        public static void AtExec()
        {
            for (int i = 1; i <= Count; i++)
                if (s_handler[i] != Ignore) { s_handler[i] = Default; s_flags[i] = 0; s_restorer[i] = 0; s_mask[i] = 0; }
            s_altEnabled = false;
        }

        private static bool DefaultIgnores(int signal) => signal == 17 || signal == 18 || signal == 23 || signal == 28;

        /// <summary>SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: the default action stops the process.</summary>
        private static bool DefaultStops(int signal) => signal >= 19 && signal <= 22;

        private const int Sigcont = 18;

        /// <summary>The stop: the parent is told (SIGCHLD, a report for wait4's WUNTRACED), then
        /// the process waits in the library OS until SIGCONT (it goes on; a handler for SIGCONT
        /// then runs as usual) or SIGKILL (it ends), whatever its mask.</summary>
        private static void Stop(int signal)
        {
            ProcessRow* me = ProcessTable.Self;
            ProcessTable.Take(me, Sigcont);                          // a stop discards a pending continue
            me->Stop = signal;
            ProcessTable.Report(me, ProcessRow.Stopped);
            NotifyParent(me);
            while (true)
            {
                uint seen = System.Threading.Volatile.Read(ref me->Events);
                ulong pending = System.Threading.Volatile.Read(ref me->Pending);
                if ((pending & Bit(Sigkill)) != 0) Processes.ProcessExit.Killed(Sigkill);
                if ((pending & Bit(Sigcont)) != 0)
                {
                    if (s_handler[Sigcont] <= Ignore) ProcessTable.Take(me, Sigcont);
                    me->Stop = 0;
                    ProcessTable.TakeReport(me, ProcessRow.Stopped);
                    ProcessTable.Report(me, ProcessRow.Continued);
                    NotifyParent(me);
                    return;
                }
                Children.WaitForEvents(&me->Events, seen, 100);
            }
        }

        private static void NotifyParent(ProcessRow* me)
        {
            ProcessRow* parent = ProcessTable.Find(ProcessTable.Pid(me->Parent));
            if (parent != null && parent->Id == me->Parent) ProcessTable.Post(parent, Sigchld);
        }

        public static long Action(ulong signal, ulong act, ulong old, ulong size)
        {
            if (size != 8 || signal < 1 || signal > Count) return -(long)Errno.EINVAL;
            if (act != 0 && (signal == Sigkill || signal == Sigstop)) return -(long)Errno.EINVAL;
            if (act != 0 && !UserPointers.Check(act, 32, false)) return -(long)Errno.EFAULT;
            if (old != 0 && !UserPointers.Check(old, 32, true)) return -(long)Errno.EFAULT;
            ulong* a = (ulong*)act;
            ulong handler = 0, flags = 0, restorer = 0, mask = 0;
            if (act != 0)
            {
                handler = a[0]; flags = a[1]; restorer = a[2]; mask = a[3];
                if (handler > Ignore && handler >= LinuxLayout.Limit) return -(long)Errno.EFAULT;
            }
            if (old != 0)
            {
                ulong* o = (ulong*)old;
                o[0] = s_handler[signal]; o[1] = s_flags[signal]; o[2] = s_restorer[signal]; o[3] = s_mask[signal];
            }
            if (act != 0)
            {
                s_handler[signal] = handler; s_flags[signal] = flags; s_restorer[signal] = restorer; s_mask[signal] = mask & ~Unblockable;
                if (handler == Ignore || (handler == Default && DefaultIgnores((int)signal)))
                    ProcessTable.Take(ProcessTable.Self, (int)signal);         // a pending one is dropped
            }
            return 0;
        }

        public static long ProcMask(ulong how, ulong set, ulong old, ulong size)
        {
            if (size != 8) return -(long)Errno.EINVAL;
            if (set != 0 && !UserPointers.Check(set, 8, false)) return -(long)Errno.EFAULT;
            if (old != 0 && !UserPointers.Check(old, 8, true)) return -(long)Errno.EFAULT;
            if (set != 0 && how > 2) return -(long)Errno.EINVAL;
            ulong value = set != 0 ? *(ulong*)set : 0;
            if (old != 0) *(ulong*)old = s_blocked;
            if (set != 0)
            {
                if (how == 0) s_blocked |= value;
                else if (how == 1) s_blocked &= ~value;
                else s_blocked = value;
                s_blocked &= ~Unblockable;
            }
            return 0;
        }

        public static long Pending(ulong set, ulong size)
        {
            if (size > 8 || size == 0) return -(long)Errno.EINVAL;
            if (!UserPointers.Check(set, size, true)) return -(long)Errno.EFAULT;
            ulong value = ProcessTable.Self->Pending & s_blocked;
            System.Buffer.MemoryCopy(&value, (void*)set, (long)size, (long)size);
            return 0;
        }

        public static long AltStack(ulong stack, ulong old, ulong currentRsp)
        {
            if (stack != 0 && !UserPointers.Check(stack, 24, false)) return -(long)Errno.EFAULT;
            if (old != 0 && !UserPointers.Check(old, 24, true)) return -(long)Errno.EFAULT;
            bool on = OnAltStack(currentRsp);
            ulong sp = 0, size = 0;
            int flags = 0;
            if (stack != 0)
            {
                sp = *(ulong*)stack; flags = *(int*)(stack + 8); size = *(ulong*)(stack + 16);
                if (on) return -(long)Errno.EPERM;
                int mode = flags & ~unchecked((int)0x8000_0000);               // SS_AUTODISARM accepted
                if (mode != 0 && mode != SsDisable && mode != SsOnstack) return -(long)Errno.EINVAL;
                if (mode != SsDisable && size < 2048) return -(long)Errno.ENOMEM;
            }
            if (old != 0)
            {
                *(ulong*)old = s_altBase;
                *(int*)(old + 8) = !s_altEnabled ? SsDisable : on ? SsOnstack : 0;
                *(int*)(old + 12) = 0;
                *(ulong*)(old + 16) = s_altSize;
            }
            if (stack != 0)
            {
                if ((flags & SsDisable) != 0) { s_altEnabled = false; s_altBase = 0; s_altSize = 0; }
                else { s_altEnabled = true; s_altBase = sp; s_altSize = size; }
            }
            return 0;
        }

        private static bool OnAltStack(ulong rsp) => s_altEnabled && rsp > s_altBase && rsp - s_altBase <= s_altSize;

        /// <summary>Is a signal pending that a blocking call should return for (one with a handler
        /// or whose default ends the process)? Pending ignored ones are dropped on the way.</summary>
        public static bool Interrupting()
        {
            CheckAlarm();
            ProcessRow* me = ProcessTable.Self;
            ulong pending = System.Threading.Volatile.Read(ref me->Pending) & ~s_blocked;
            for (int signal = 1; pending != 0 && signal <= Count; signal++)
            {
                if ((pending & Bit(signal)) == 0) continue;
                pending &= ~Bit(signal);
                ulong h = s_handler[signal];
                if (h == Ignore || (h == Default && DefaultIgnores(signal))) { ProcessTable.Take(me, signal); continue; }
                return true;                                          // a handler, the end, or a stop
            }
            return false;
        }

        /// <summary>Whether a call interrupted by the signal about to be delivered restarts.</summary>
        public static bool WouldRestart()
        {
            ulong pending = ProcessTable.Self->Pending & ~s_blocked;
            for (int signal = 1; signal <= Count; signal++)
                if ((pending & Bit(signal)) != 0 && s_handler[signal] > Ignore) return (s_flags[signal] & SaRestart) != 0;
            return true;
        }

        /// <summary>rt_sigsuspend(mask, size): waits with mask until a signal is delivered; the
        /// handler's frame saves the mask from before, so sigreturn puts that back.</summary>
        public static long Suspend(ulong set, ulong size)
        {
            if (size != 8) return -(long)Errno.EINVAL;
            if (!UserPointers.Check(set, 8, false)) return -(long)Errno.EFAULT;
            s_suspendSaved = s_blocked;
            s_suspended = true;
            s_blocked = *(ulong*)set & ~Unblockable;
            while (!Interrupting()) ProcessCalls.Block(100);
            return -(long)Errno.EINTR;
        }

        // alarm(seconds): previous remaining seconds.
        public static long Alarm(ulong seconds)
        {
            ulong now = Clock.Ticks;
            long left = s_alarmTick == 0 ? 0 : (long)((s_alarmTick > now ? s_alarmTick - now : 1) + 99) / 100;
            if (seconds > 0x7FFF_FFFF) seconds = 0x7FFF_FFFF;
            s_alarmTick = seconds == 0 ? 0 : now + seconds * 100;
            s_alarmInterval = 0;
            LinuxFast.Refresh();
            return left;
        }

        /// <summary>setitimer(which, new, old): ITIMER_REAL only, in ticks of 10 ms.</summary>
        public static long SetTimer(ulong which, ulong value, ulong old)
        {
            if (which > 2) return -(long)Errno.EINVAL;
            if (value != 0 && !UserPointers.Check(value, 32, false)) return -(long)Errno.EFAULT;
            if (old != 0 && !UserPointers.Check(old, 32, true)) return -(long)Errno.EFAULT;
            if (which != 0) return -(long)Errno.EINVAL;                          // ITIMER_VIRTUAL, ITIMER_PROF: not served
            long* v = (long*)value;
            if (value != 0 && (v[0] < 0 || v[1] < 0 || v[1] >= 1_000_000 || v[2] < 0 || v[3] < 0 || v[3] >= 1_000_000)) return -(long)Errno.EINVAL;
            if (old != 0) GetTimer(0, old);
            if (value == 0) return 0;
            ulong interval = TicksOf((ulong)v[0], (ulong)v[1]), first = TicksOf((ulong)v[2], (ulong)v[3]);
            s_alarmTick = first == 0 ? 0 : Clock.Ticks + first;
            s_alarmInterval = first == 0 ? 0 : interval;
            LinuxFast.Refresh();
            return 0;
        }

        public static long GetTimer(ulong which, ulong value)
        {
            if (which > 2) return -(long)Errno.EINVAL;
            if (!UserPointers.Check(value, 32, true)) return -(long)Errno.EFAULT;
            long* v = (long*)value;
            ulong now = Clock.Ticks, left = which == 0 && s_alarmTick > now ? s_alarmTick - now : which == 0 && s_alarmTick != 0 ? 1UL : 0UL;
            v[0] = (long)(s_alarmInterval / 100); v[1] = (long)(s_alarmInterval % 100 * 10_000);
            v[2] = (long)(left / 100); v[3] = (long)(left % 100 * 10_000);
            return 0;
        }

        private static ulong TicksOf(ulong seconds, ulong micros)
        {
            if (seconds > 100_000_000) seconds = 100_000_000;
            ulong t = seconds * 100 + (micros + 9_999) / 10_000;
            return t;
        }

        /// <summary>Ticks until the alarm is due (ulong.MaxValue: none), to bound a blocking wait.</summary>
        public static ulong TicksToAlarm()
        {
            if (s_alarmTick == 0) return ulong.MaxValue;
            ulong now = Clock.Ticks;
            return s_alarmTick > now ? s_alarmTick - now : 0;
        }

        private static void CheckAlarm()
        {
            if (s_alarmTick == 0 || Clock.Ticks < s_alarmTick) return;
            s_alarmTick = s_alarmInterval == 0 ? 0 : Clock.Ticks + s_alarmInterval;
            if (s_alarmTick == 0) LinuxFast.Refresh();
            ProcessTable.Post(ProcessTable.Self, Sigalrm);
        }

        /// <summary>Slice upcalls (prologue) from now on, so a process that makes no system calls
        /// still takes its signals and alarms when its slice begins (also in a forked child:
        /// the kernel does not pass them on).</summary>
        public static void StartSliceUpcalls() => SystemCall.SetSliceHandlers(Capability.Self, Exceptions.Entry, 0);

        /// <summary>On the return from a system call (afterCall) or at a slice's start in the
        /// foreign code: fixes up a call to restart (Restart in
        /// rax: the call again, or EINTR when a handler without SA_RESTART runs), then starts the
        /// handler of the lowest deliverable pending signal, or ends the process for one whose
        /// default action is to end it.</summary>
        public static void Deliver(ExceptionFrame* frame, bool afterCall)
        {
            Registers* r = &frame->Registers;
            CheckAlarm();
            ProcessRow* me = ProcessTable.Self;
            bool restart = afterCall && (long)r->Rax == Restart;
            while (true)
            {
                ulong pending = System.Threading.Volatile.Read(ref me->Pending) & ~s_blocked;
                if (pending == 0) break;
                int signal = 1;
                while ((pending & Bit(signal)) == 0) signal++;
                if (!ProcessTable.Take(me, signal)) continue;
                ulong h = s_handler[signal];
                if (h == Ignore || (h == Default && DefaultIgnores(signal))) continue;
                if (h == Default && DefaultStops(signal)) { Stop(signal); continue; }
                if (h == Default) Processes.ProcessExit.Killed(signal);
                if (restart)
                {
                    restart = false;
                    if ((s_flags[signal] & SaRestart) != 0) { r->Rax = frame->ErrorCode; r->Rip -= 2; }
                    else r->Rax = unchecked((ulong)-(long)Errno.EINTR);
                }
                if (!Start(frame, signal, 0, 0)) Processes.ProcessExit.Killed(Sigsegv);
                return;
            }
            if (restart) { r->Rax = frame->ErrorCode; r->Rip -= 2; }    // nothing delivered: the call again
            if (s_suspended) { s_blocked = s_suspendSaved; s_suspended = false; }
        }

        /// <summary>A CPU exception in the foreign code: its signal to the handler now, or the end.</summary>
        public static void Fault(ExceptionFrame* frame)
        {
            ulong v = frame->Vector;
            int signal = v == 14 || v == 13 || v == 12 || v == 11 || v == 10 ? 11 : v == 0 || v == 16 || v == 19 ? 8 : v == 6 ? 4 : v == 17 ? 7 : v == 1 || v == 3 ? 5 : 11;
            int code = signal == 11 ? ((frame->ErrorCode & 1) != 0 && v == 14 ? 2 : 1) : signal == 8 ? 1 : signal == 4 ? 2 : signal == 5 ? 1 : 2;
            if (signal == 11 && v != 14) code = 128;                  // SI_KERNEL: a protection fault
            ulong address = signal == 11 || signal == 7 ? (v == 14 ? frame->FaultAddress : 0) : frame->Registers.Rip;
            ulong h = s_handler[signal];
            if (h <= Ignore || (s_blocked & Bit(signal)) != 0)
            {
                System.Console.WriteLine("linux: signal " + signal.ToString() + " (CPU exception " + v.ToString() + " at rip 0x" +
                    frame->Registers.Rip.ToString("x") + ", address 0x" + frame->FaultAddress.ToString("x") + "): killed");
                Processes.ProcessExit.Killed(signal);
            }
            if (!Start(frame, signal, code, address)) Processes.ProcessExit.Killed(Sigsegv);
        }

        /// <summary>Builds the rt_sigframe and points the registers at the handler; false when
        /// the frame does not fit writable foreign memory (the process must then end).</summary>
        private static bool Start(ExceptionFrame* frame, int signal, int code, ulong address)
        {
            Registers* r = &frame->Registers;
            ulong flags = s_flags[signal], handler = s_handler[signal];
            if (handler <= Ignore || (flags & SaRestorer) == 0 || s_restorer[signal] >= LinuxLayout.Limit) return false;
            ulong saved = s_suspended ? s_suspendSaved : s_blocked;
            s_suspended = false;
            ulong sp = r->Rsp;
            bool onAlt = OnAltStack(sp);
            if ((flags & SaOnstack) != 0 && s_altEnabled && !onAlt) sp = s_altBase + s_altSize;
            else sp -= 128;                                            // the red zone
            int stateSize = ExtendedState.Size;
            ulong fp = (sp - (ulong)stateSize) & ~63UL;
            ulong top = fp + (ulong)stateSize;
            sp = ((fp - FrameSize) & ~15UL) - 8;
            if (sp >= fp || !UserPointers.Check(sp, top - sp, true)) return false;
            System.Runtime.InteropServices.NativeMemory.Clear((void*)sp, (nuint)(fp - sp));
            ExtendedState.Copy(ExtendedState.Of(frame), (byte*)fp);
            *(ulong*)sp = s_restorer[signal];
            ulong uc = sp + 8;
            *(ulong*)(uc + 16) = s_altBase;
            *(int*)(uc + 24) = !s_altEnabled ? SsDisable : onAlt ? SsOnstack : 0;
            *(ulong*)(uc + 32) = s_altSize;
            ulong* m = (ulong*)(uc + Mcontext);
            m[0] = r->R8; m[1] = r->R9; m[2] = r->R10; m[3] = r->R11; m[4] = r->R12; m[5] = r->R13; m[6] = r->R14; m[7] = r->R15;
            m[8] = r->Rdi; m[9] = r->Rsi; m[10] = r->Rbp; m[11] = r->Rbx; m[12] = r->Rdx; m[13] = r->Rax; m[14] = r->Rcx;
            m[15] = r->Rsp; m[16] = r->Rip; m[17] = r->Rflags;
            m[18] = 0x33 | (0x2BUL << 48);                             // cs, gs, fs, ss as the kernel's selectors
            m[19] = frame->Vector < 32 ? frame->ErrorCode : 0;         // err
            m[20] = frame->Vector < 32 ? frame->Vector : 0;            // trapno
            m[21] = saved;                                             // oldmask
            m[22] = frame->Vector == 14 ? frame->FaultAddress : 0;     // cr2
            m[23] = fp;                                                // fpstate
            *(ulong*)(uc + Mcontext + 256) = saved;                    // uc_sigmask
            int* info = (int*)(uc + UcontextSize);
            info[0] = signal;
            info[2] = code;
            if (code > 0 && code < 128) *(ulong*)(info + 4) = address;  // si_addr
            else { info[4] = ProcessTable.Pid(Process.Id); info[5] = 0; }
            s_blocked = saved | s_mask[signal] | ((flags & SaNodefer) == 0 ? Bit(signal) : 0);
            s_blocked &= ~Unblockable;
            if ((flags & SaResethand) != 0) { s_handler[signal] = Default; s_flags[signal] &= ~SaSiginfo; }
            r->Rdi = (ulong)signal;
            r->Rsi = (ulong)info;
            r->Rdx = uc;
            r->Rax = 0;
            r->Rsp = sp;
            r->Rip = handler;
            r->Rflags &= ~0x10500UL;                                   // TF, DF, RF clear
            Delivered++;
            return true;
        }

        /// <summary>rt_sigreturn: the registers, mask and extended state of the frame at rsp.</summary>
        public static void Return(ExceptionFrame* frame)
        {
            Registers* r = &frame->Registers;
            ulong uc = r->Rsp;
            if (!UserPointers.Check(uc, UcontextSize, false)) { Processes.ProcessExit.Killed(Sigsegv); return; }
            ulong* m = (ulong*)(uc + Mcontext);
            if (m[16] >= LinuxLayout.Limit) { Processes.ProcessExit.Killed(Sigsegv); return; }   // never into the library OS
            r->R8 = m[0]; r->R9 = m[1]; r->R10 = m[2]; r->R11 = m[3]; r->R12 = m[4]; r->R13 = m[5]; r->R14 = m[6]; r->R15 = m[7];
            r->Rdi = m[8]; r->Rsi = m[9]; r->Rbp = m[10]; r->Rbx = m[11]; r->Rdx = m[12]; r->Rax = m[13]; r->Rcx = m[14];
            r->Rsp = m[15]; r->Rip = m[16];
            r->Rflags = (m[17] & 0x40DD5UL) | 0x202;
            s_blocked = *(ulong*)(uc + Mcontext + 256) & ~Unblockable;
            ulong fp = m[23];
            int stateSize = ExtendedState.Size;
            if (fp != 0 && UserPointers.Check(fp, (ulong)stateSize, false))
            {
                byte* area = ExtendedState.Of(frame);
                ExtendedState.Copy((byte*)fp, area);
                *(uint*)(area + 24) &= 0xFFBF;                         // MXCSR: reserved bits clear
                if (stateSize > 512)
                {
                    *(ulong*)(area + 512) &= ExtendedState.Mask;       // XSTATE_BV: enabled features only
                    for (int i = 8; i < 64; i++) area[512 + i] = 0;    // XCOMP_BV and the reserved bytes
                }
            }
        }
    }
}
