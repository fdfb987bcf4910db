// The Linux processes of one tree (the first `linux` process and everything it forks) share
// one table, a row per environment-table index, mapped writable and shared (never copied) into
// every forked child: the mailbox for signals between processes (a sender ORs the bit into the
// target's Pending and bumps its Events), process groups and sessions for kill and ash, and the
// wait status a process leaves for its parent. A Linux pid is the ExOS environment id (below
// 2^31 in any boot: the generation above 12 index bits). Trust: the processes of a tree trust
// each other (any may write any row). Missing: sharing between separately started trees.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class ProcessTable
    {
        [RuntimeImport("linux_atomic_or")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void AtomicOr(ulong* word, ulong bits);
        [RuntimeImport("linux_atomic_increment")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void AtomicIncrement(uint* word);
        [RuntimeImport("linux_atomic_take_bit")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong AtomicTakeBit(ulong* word, ulong bit);

        /// <summary>Where the table lives (below ExOS's shared pages, in ExOS's part of the low space).</summary>
        public const ulong Base = 0x6FB0_0000;
        public const int Rows = Capability.MaxEnvironments;
        public static readonly ulong End = Base + (ulong)(Rows * sizeof(ProcessRow) + 4095) / 4096 * 4096;

        /// <summary>How many live processes a tree may hold (fork answers EAGAIN past it, like
        /// RLIMIT_NPROC): well inside the kernel's 1024 environments and the frames a process
        /// needs (its page tables, exception stack and copied pages, about 60).</summary>
        public const int MaxProcesses = 256;

        public static int LiveCount()
        {
            int n = 0;
            for (int i = 0; i < Rows; i++)
            {
                ProcessRow* row = Row(i);
                if (IsLive(row)) n++;
            }
            return n;
        }

        /// <summary>A row of a process that has neither ended nor been destroyed.</summary>
        public static bool IsLive(ProcessRow* row)
        {
            ulong id = row->Id;
            if (id == 0 || row->State != ProcessRow.Live) return false;
            EnvRecord env = KernelTables.Environment(id);
            return env.Id == id && (env.Status & EnvRecord.Ended) == 0;
        }

        public static ProcessRow* Row(int index) => (ProcessRow*)Base + index;

        public static int IndexOf(ulong id) => (int)(id & ((1UL << Capability.EnvIndexBits) - 1));

        /// <summary>This process's row.</summary>
        public static ProcessRow* Self => Row(IndexOf(Process.Id));

        public static int Pid(ulong id) => (int)(id & 0x7FFF_FFFF);

        /// <summary>The live row of a pid, or null.</summary>
        public static ProcessRow* Find(long pid)
        {
            if (pid <= 0 || pid > 0x7FFF_FFFF) return null;
            int index = IndexOf((ulong)pid);
            if (index >= Rows) return null;
            ProcessRow* row = Row(index);
            return Pid(row->Id) == pid && IsLive(row) ? row : null;
        }

        /// <summary>Maps the table (zeroed) when this is the first process of a tree, and makes
        /// this environment's row: its own group and session. Null or why it could not.</summary>
        public static string StartTree()
        {
            for (ulong page = Base; page < End; page += 4096)
            {
                if ((KernelTables.PageEntry(page) & 1) != 0) continue;
                long r = Memory.AllocatePage(page, PageFlags.Writable);
                if (r < 0) return "no memory for the process table: error " + r.ToString();
                System.Runtime.InteropServices.NativeMemory.Clear((void*)page, 4096);
            }
            ulong id = Process.Id;
            ProcessRow* row = Self;
            *row = default;
            row->Parent = KernelTables.Environment(id).ParentId;
            row->Pgid = row->Sid = Pid(id);
            row->State = ProcessRow.Live;
            System.Threading.Volatile.Write(ref row->Id, id);
            return null;
        }

        /// <summary>At fork, in the parent before the child runs: the child's row, in the
        /// parent's group and session, nothing pending.</summary>
        public static void StartChild(ulong child, ulong parent)
        {
            ProcessRow* me = Self;
            ProcessRow* row = Row(IndexOf(child));
            row->Id = 0;
            row->Parent = parent;
            row->Pending = 0;
            row->Events = 0;
            row->Pgid = me->Pgid;
            row->Sid = me->Sid;
            row->WaitStatus = 0;
            row->Stop = 0;
            row->Reports = 0;
            row->Halting = 0;
            Scheduling.Inherit(me, row);
            row->State = ProcessRow.Live;
            System.Threading.Volatile.Write(ref row->Id, child);
        }

        /// <summary>Posts signal (1-64) to row and wakes it.</summary>
        public static void Post(ProcessRow* row, int signal)
        {
            AtomicOr(&row->Pending, 1UL << (signal - 1));
            AtomicIncrement(&row->Events);
        }

        /// <summary>Notes a stop or a continue (ProcessRow.Stopped, Continued) for the parent's wait.</summary>
        public static void Report(ProcessRow* row, int what) => AtomicOr(&row->Reports, 1UL << what);

        /// <summary>Takes a noted stop or continue: true if it was there.</summary>
        public static bool TakeReport(ProcessRow* row, int what) => AtomicTakeBit(&row->Reports, (ulong)what) != 0;

        /// <summary>Bumps row's Events only (wakes a blocked process to look again).</summary>
        public static void Wake(ProcessRow* row) => AtomicIncrement(&row->Events);

        /// <summary>Takes signal (1-64) from row's pending set: true if it was there.</summary>
        public static bool Take(ProcessRow* row, int signal) => AtomicTakeBit(&row->Pending, (ulong)(signal - 1)) != 0;
    }
}
