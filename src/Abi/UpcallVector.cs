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

        /// <summary>A `syscall` instruction in foreign code (below the limit ForeignSyscalls set):
        /// Registers are the caller's as the instruction left them (Rip and Rcx the address after
        /// it, R11 its rflags, Rax the number); ErrorCode is the number too. The kernel did
        /// nothing else; resume at Registers.Rip with the result in Rax.</summary>
        public const ulong ForeignSyscall = 0x103;
    }
}
