// A budget of kernel resources that environments spend: frames (their own, their page tables,
// their capability tables' chunks, their repossession vectors) and environment slots. An
// account's limits are charged, whole, to its parent account when it opens (a reservation), so
// what an account may spend always exists unless the kernel's own memory outgrew its reserve;
// the limits go back to the parent when the account is empty and none of its environments is
// left. Interrupts off. Missing: time slots, filters, code pages, rings and XN's tables.
namespace ExoSharp.Kernel.Core
{
    internal sealed class Account
    {
        /// <summary>Its number (1 and up), by which a frame names the account that pays for it.</summary>
        public readonly int Index;

        /// <summary>Holds this account's limits as spent (null: the machine's account).</summary>
        public readonly Account Parent;

        public readonly ulong FrameLimit;
        public readonly uint EnvLimit;

        /// <summary>Frames paid for, plus the frame limits of open child accounts.</summary>
        public ulong FramesUsed;

        /// <summary>Environment slots held (live, or ended with their tables still being taken
        /// apart), plus the environment limits of open child accounts.</summary>
        public uint EnvsUsed;

        /// <summary>Environments charged to it (whose Account it is) whose slots are still held.</summary>
        public uint Members;

        public Account(int index, Account parent, ulong frameLimit, uint envLimit)
        {
            Index = index;
            Parent = parent;
            FrameLimit = frameLimit;
            EnvLimit = envLimit;
        }

        public bool MayTakeFrames(ulong count) => FramesUsed + count <= FrameLimit;

        public bool MayTakeEnvs(uint count) => EnvsUsed + count <= EnvLimit;
    }
}
