// The fast path of the foreign system calls that only read this process's identity (getpid,
// gettid, getppid), and sched_yield between SCHED_FIFO processes: linux.asm's linux_upcall
// answers them from the words kept here, before any C#, and hands every other upcall to
// LinuxCalls.Upcall. Invariant: the words are this
// process's (Refresh at start, execve and in a fork's child, and whenever an alarm is armed or
// disarmed); a posted signal (the row's Pending word) or an armed alarm sends even these calls
// the C# way, which delivers them on the return, as Linux does.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Linux.Processes;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static unsafe class LinuxFast
    {
        [RuntimeImport("linux_fast_words")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong* Words();
        [RuntimeImport("linux_upcall_address")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong UpcallAddress();

        private const int Slow = 0, Pid = 1, Parent = 2, Pending = 3, Gate = 4, Peer = 5, Left = 6, Deliver = 7;

        /// <summary>Makes linux_upcall the exception handler in front of LinuxCalls.Upcall; the
        /// handler's error (negative) or 0.</summary>
        public static long Install()
        {
            delegate*<ExceptionFrame*, void> upcall = &LinuxCalls.Upcall;
            ulong* w = Words();
            w[Gate] = 1;
            if (((ulong)upcall & 2) != 0) return Exceptions.SetHandler(upcall);   // not a plain code address: no fast path
            delegate*<ExceptionFrame*, void> deliver = &LinuxCalls.DeliverSignals;
            if (((ulong)deliver & 2) != 0) return Exceptions.SetHandler(upcall);
            w[Deliver] = (ulong)deliver;
            w[Slow] = (ulong)upcall;
            Refresh();
            return Exceptions.SetHandler((delegate*<ExceptionFrame*, void>)UpcallAddress());
        }

        /// <summary>The words from this process's row and its alarm.</summary>
        public static void Refresh()
        {
            ulong* w = Words();
            if (w[Slow] == 0) return;
            ProcessRow* me = ProcessTable.Self;
            w[Pid] = (ulong)ProcessTable.Pid(Process.Id);
            w[Parent] = (ulong)ProcessTable.Pid(me->Parent);
            w[Pending] = (ulong)&me->Pending;
            w[Gate] = Signals.AlarmArmed ? 1UL : 0UL;
        }

        /// <summary>sched_yield's fast path: a directed Yield through handle (0: none) for the next
        /// count calls, then the C# path again.</summary>
        public static void SetYieldPeer(ulong handle, ulong count)
        {
            ulong* w = Words();
            w[Peer] = handle;
            w[Left] = count;
        }
    }
}
