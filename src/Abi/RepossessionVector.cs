// What the kernel took from an environment by force (the abort protocol of visible
// revocation), readable by the environment at UserLayout.RepossessionVector: the pending
// request and every frame repossessed, in order. The handles for them are gone.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct RepossessionVector
    {
        public const int Capacity = 510;

        /// <summary>Frames asked for and not yet given back (0: no revocation pending).</summary>
        public ulong Requested;

        /// <summary>How many entries Frames holds (it stops growing at Capacity).</summary>
        public ulong Count;

        /// <summary>Frame numbers taken, oldest first.</summary>
        public fixed ulong Frames[Capacity];
    }
}
