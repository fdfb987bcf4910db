// The limits of an account EnvCreate opens for a new environment (docs/abi.md, "Accounting"):
// taken whole from the caller's account. Envs counts the new environment's own slot.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct AccountLimits
    {
        /// <summary>Frames it may pay for (its own, its page and capability tables').</summary>
        public ulong Frames;
        /// <summary>Environment slots it may hold, its own included (at least 1).</summary>
        public ulong Envs;
        /// <summary>Time slots its environments may hold.</summary>
        public ulong TimeSlots;
    }
}
