// Scheduling policies as a Linux program sees them: sched_setscheduler and its relatives keep a
// policy and priority in each process's row (inherited at fork unless SCHED_RESET_ON_FORK), and
// sched_yield from a SCHED_FIFO or SCHED_RR process goes straight to the next such process of
// the tree at its priority (a directed Yield through the child's capability or the creator's
// endpoint), so two of them alternate strictly; linux.asm repeats that Yield without C# until
// the table is looked at again. Missing: priorities preempting the kernel's
// round robin of time slices (a real-time process gets its slices like everyone else).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Runtime;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class Scheduling
    {
        private const int Other = 0, Fifo = 1, RoundRobin = 2, Batch = 3, Idle = 5;
        private const ulong ResetOnFork = 0x4000_0000;
        private const ushort ResetBit = 0x8000;             // in the row's Policy

        private static bool RealTime(int policy) => policy == Fifo || policy == RoundRobin;

        private static bool Known(int policy) => policy == Other || policy == Fifo || policy == RoundRobin || policy == Batch || policy == Idle;

        /// <summary>The row pid names (0: the caller), or null with the error in error.</summary>
        private static ProcessRow* Target(ulong pid, out long error)
        {
            error = 0;
            if ((long)pid < 0 || pid > 0x7FFF_FFFF) { error = -(long)Errno.EINVAL; return null; }
            ProcessRow* row = pid == 0 ? ProcessTable.Self : ProcessTable.Find((long)pid);
            if (row == null) error = -(long)Errno.ESRCH;
            return row;
        }

        /// <summary>sched_setscheduler(pid, policy, param).</summary>
        public static long SetScheduler(ulong pid, ulong policy, ulong param)
        {
            if (param == 0) return -(long)Errno.EINVAL;
            ProcessRow* row = Target(pid, out long error);
            if (row == null) return error;
            if (!UserPointers.Check(param, 4, false)) return -(long)Errno.EFAULT;
            bool reset = (policy & ResetOnFork) != 0;
            if ((policy & ~ResetOnFork) > int.MaxValue) return -(long)Errno.EINVAL;
            int p = (int)(policy & ~ResetOnFork);
            if (!Known(p)) return -(long)Errno.EINVAL;
            int priority = *(int*)param;
            if (RealTime(p) ? priority < 1 || priority > 99 : priority != 0) return -(long)Errno.EINVAL;
            row->Priority = (ushort)priority;
            row->Policy = (ushort)(p | (reset ? ResetBit : 0));
            LinuxFast.SetYieldPeer(0, 0);                     // the next sched_yield looks again
            return 0;
        }

        /// <summary>sched_getscheduler(pid).</summary>
        public static long GetScheduler(ulong pid)
        {
            ProcessRow* row = Target(pid, out long error);
            if (row == null) return error;
            ulong policy = (ulong)(row->Policy & 0x7FFF);
            return (long)((row->Policy & ResetBit) != 0 ? policy | ResetOnFork : policy);
        }

        /// <summary>sched_getaffinity(pid, size, mask): one CPU, CPU 0 (the guest has one), in 8
        /// bytes; a size below 8 or not a multiple of 8 EINVAL, a bad mask EFAULT, an unknown pid ESRCH.</summary>
        public static long GetAffinity(ulong pid, ulong size, ulong mask)
        {
            if (Target(pid, out long error) == null) return error;
            if (size < 8 || (size & 7) != 0) return -(long)Errno.EINVAL;
            if (!UserPointers.Check(mask, 8, true)) return -(long)Errno.EFAULT;
            *(ulong*)mask = 1;
            return 8;
        }

        /// <summary>sched_setaffinity(pid, size, mask): accepted when the mask holds CPU 0 (the
        /// only one), EINVAL when it holds no CPU there is; a bad mask EFAULT, an unknown pid ESRCH.</summary>
        public static long SetAffinity(ulong pid, ulong size, ulong mask)
        {
            if (Target(pid, out long error) == null) return error;
            if (size == 0) return -(long)Errno.EINVAL;
            if (!UserPointers.Check(mask, 1, false)) return -(long)Errno.EFAULT;
            return (*(byte*)mask & 1) != 0 ? 0 : -(long)Errno.EINVAL;
        }

        /// <summary>sched_setparam(pid, param): the priority within the current policy.</summary>
        public static long SetParam(ulong pid, ulong param)
        {
            if (param == 0) return -(long)Errno.EINVAL;
            ProcessRow* row = Target(pid, out long error);
            if (row == null) return error;
            if (!UserPointers.Check(param, 4, false)) return -(long)Errno.EFAULT;
            int priority = *(int*)param;
            int policy = row->Policy & ~ResetBit;
            if (RealTime(policy) ? priority < 1 || priority > 99 : priority != 0) return -(long)Errno.EINVAL;
            row->Priority = (ushort)priority;
            LinuxFast.SetYieldPeer(0, 0);
            return 0;
        }

        /// <summary>sched_getparam(pid, param).</summary>
        public static long GetParam(ulong pid, ulong param)
        {
            if (param == 0) return -(long)Errno.EINVAL;
            ProcessRow* row = Target(pid, out long error);
            if (row == null) return error;
            if (!UserPointers.Check(param, 4, true)) return -(long)Errno.EFAULT;
            *(int*)param = row->Priority;
            return 0;
        }

        /// <summary>sched_get_priority_max / _min(policy).</summary>
        public static long PriorityLimit(ulong policy, bool max)
        {
            if (policy > int.MaxValue || !Known((int)policy)) return -(long)Errno.EINVAL;
            return RealTime((int)policy) ? (max ? 99 : 1) : 0;
        }

        /// <summary>At fork, the child's policy: the parent's, or SCHED_OTHER with SCHED_RESET_ON_FORK.</summary>
        public static void Inherit(ProcessRow* parent, ProcessRow* child)
        {
            bool reset = (parent->Policy & ResetBit) != 0;
            child->Policy = reset ? (ushort)0 : parent->Policy;
            child->Priority = reset ? (ushort)0 : parent->Priority;
        }

        private static int s_peer = -1, s_sinceScan;        // the row the last yield went to; yields since the table was scanned
        private const int Rescan = 16;

        /// <summary>sched_yield: a real-time process yields to the next real-time process of the tree
        /// at its priority (after it in the table, round), directly when it holds a way to (its
        /// child's capability, or the creator's endpoint for its parent); otherwise the kernel's Yield.
        /// The row found is used again while it still qualifies, the table scanned again every
        /// Rescan yields (a process that turns real-time joins the rotation within that many), the
        /// yields between made by linux.asm through the same handle (LinuxFast.SetYieldPeer).</summary>
        public static long Yield()
        {
            ProcessRow* me = ProcessTable.Self;
            ulong handle = 0;
            if (RealTime(me->Policy & ~ResetBit))
            {
                if (s_peer < 0 || ++s_sinceScan >= Rescan || !Qualifies(ProcessTable.Row(s_peer), me))
                {
                    s_sinceScan = 0;
                    s_peer = -1;
                    int mine = ProcessTable.IndexOf(me->Id);
                    for (int step = 1; step < ProcessTable.Rows; step++)
                    {
                        int index = (mine + step) % ProcessTable.Rows;
                        if (!Qualifies(ProcessTable.Row(index), me)) continue;
                        s_peer = index;
                        break;
                    }
                }
                if (s_peer >= 0)
                {
                    ProcessRow* row = ProcessTable.Row(s_peer);
                    handle = row->Id == me->Parent ? Capability.Parent : Children.HandleOf(ProcessTable.Pid(row->Id));
                }
            }
            LinuxFast.SetYieldPeer(handle, handle == 0 ? 0 : (ulong)(Rescan - 1 - s_sinceScan));   // linux.asm yields the same way till the next look
            if (handle != 0) s_sinceScan = Rescan - 1;
            SystemCall.Yield(handle);
            return 0;
        }

        private static bool Qualifies(ProcessRow* row, ProcessRow* me) =>
            row != me && row->Id != 0 && row->Policy == me->Policy && row->Priority == me->Priority && row->Stop == 0 && ProcessTable.IsLive(row);

        /// <summary>A fork's child starts with no remembered peer.</summary>
        public static void InChild() { s_peer = -1; s_sinceScan = 0; LinuxFast.SetYieldPeer(0, 0); }
    }
}
