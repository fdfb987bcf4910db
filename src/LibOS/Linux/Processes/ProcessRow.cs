// One Linux process's row in the shared process table (ProcessTable): who it is, the signals
// posted to it and not yet taken, its process group and session, and, once it has ended, the
// wait status its parent will see. Written by other processes only through Pending and Events
// (atomically); every other field by the process itself, or by its parent (the row at fork,
// Pgid by setpgid, Policy by sched_setscheduler, the wait status when it ends the child with SIGKILL, Reports as it reaps). 64 bytes.
using System.Runtime.InteropServices;

namespace ExoSharp.LibOS.Linux.Processes
{
    [StructLayout(LayoutKind.Sequential)]
    public struct ProcessRow
    {
        public const uint Live = 1, Ended = 2;
        public const int Stopped = 0, Continued = 1;      // bits of Reports

        /// <summary>The ExOS environment id (0: a free row).</summary>
        public ulong Id;
        /// <summary>The parent's environment id.</summary>
        public ulong Parent;
        /// <summary>Signals posted and not yet taken: bit n-1 for signal n.</summary>
        public ulong Pending;
        /// <summary>Bumped after every post and every child's end: what a blocked process waits on.</summary>
        public uint Events;
        public uint State;
        public int Pgid, Sid;
        /// <summary>Once Ended: the wait status (exit code << 8, or the killing signal).</summary>
        public int WaitStatus;
        /// <summary>The signal that stopped it (0: running).</summary>
        public int Stop;
        /// <summary>What its parent's wait has yet to report: Stopped, Continued (atomically).</summary>
        public ulong Reports;
        /// <summary>Non-zero once reboot(2) ended the tree: a SIGKILL then ends the process with
        /// status 0 (the machine is powering off, not a failure). Written by the rebooting process.</summary>
        public uint Halting;
        /// <summary>The scheduling policy (SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2, ...) and its
        /// priority, as sched_setscheduler set them (Scheduling.cs); inherited at fork.</summary>
        public ushort Policy, Priority;     // with Halting, pad the row to 64 bytes
    }
}
