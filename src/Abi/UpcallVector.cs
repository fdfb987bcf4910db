// ExceptionFrame.Vector values for upcalls that are not CPU exceptions (those are 0-31).
namespace ExoSharp.Abi
{
    public static class UpcallVector
    {
        /// <summary>The slice starts: Registers are where the environment would resume.</summary>
        public const ulong SliceStart = 0x100;

        /// <summary>The slice ended: Registers are where it was interrupted; save them and Yield
        /// within Capability.EpilogueGraceTicks.</summary>
        public const ulong SliceEnd = 0x101;

        /// <summary>Give back ErrorCode frames (FrameFree) within Capability.RevokeGraceTicks,
        /// or the kernel takes that many and lists them in the RepossessionVector.</summary>
        public const ulong Revoke = 0x102;
    }
}
