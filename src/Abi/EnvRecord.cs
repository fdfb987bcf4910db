// One row of the environment table the kernel maps read-only into every address space at
// UserLayout.EnvTable (row i for table index i = id & 0xFFF): who exists and in what state,
// readable without a system call. When an environment ends its row keeps its id, parent
// and exit status (Ended) until the index is used again; never-used rows are all zero.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct EnvRecord
    {
        public const ulong Live = 1, Runnable = 2, Waiting = 4, Calling = 8, Ended = 16, Predicate = 32, HasSlot = 64, Disk = 128;

        public ulong Id;
        public ulong ParentId;
        /// <summary>Live, Runnable, Waiting (in IpcWait), Calling (blocked in IpcCall), Predicate (blocked in
        /// PredicateWait), HasSlot (owns a time slot), Disk (blocked in XnFetch or XnSync); Ended alone
        /// once it has ended.</summary>
        public ulong Status;
        /// <summary>The id it is calling, while Calling.</summary>
        public ulong Callee;
        /// <summary>Once Ended: its exit status, or 126 when it was killed.</summary>
        public ulong ExitStatus;
    }
}
