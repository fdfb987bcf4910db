// What AccountInfo reports about the account that pays for the caller (docs/abi.md,
// "Accounting"): its limits and what is spent of them, child accounts' limits included.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct AccountInfo
    {
        /// <summary>Frames the account may pay for (its own and its page and capability tables').</summary>
        public ulong FrameLimit;
        /// <summary>Frames paid for, plus the frame limits of the child accounts it opened.</summary>
        public ulong FramesUsed;
        /// <summary>Environment slots it may hold.</summary>
        public ulong EnvLimit;
        /// <summary>Slots held (live environments, and ended ones still being taken apart), plus
        /// the environment limits of its child accounts.</summary>
        public ulong EnvsUsed;
        /// <summary>Time slots its environments may hold, and hold (plus child accounts' limits).</summary>
        public ulong TimeSlotLimit;
        public ulong TimeSlotsUsed;
        /// <summary>Whether it is the machine's account (1) or was opened by an EnvCreate (0).</summary>
        public ulong IsMachine;
    }
}
