// ExOS's own use of the address space (policy of this library OS, not the kernel's): where
// the heap grows, the exception stack, the scratch page for copies. The image is at
// 0x700000000000 (user.ld); the stack is where the kernel put it (Abi.UserLayout).
namespace ExoSharp.LibOS.ExOS
{
    public static class Layout
    {
        /// <summary>The heap grows up from here, a page at a time, as the program needs it.</summary>
        public const ulong HeapBase = 0x1000_0000;
        public const ulong HeapLimit = 0x4000_0000;

        /// <summary>User-level thread stacks: ThreadStackSize each, upwards from here.</summary>
        public const ulong ThreadStacks = 0x6000_0000;
        public const ulong ThreadStackSize = 64 * 1024;

        /// <summary>The page for a scratch mapping (copy-on-write copies, dumbfork).</summary>
        public const ulong TempPage = 0x6FF0_0000;

        /// <summary>The exception stack: one page; its top 16 bytes hold the resume slot
        /// (start.asm's RESUME_SLOT), so the kernel is told the stack ends below them.</summary>
        public const ulong ExceptionStackPage = 0x6FFF_F000;
        public const ulong ResumeSlot = 0x6FFF_FFF0;
        public const ulong ExceptionStackTop = ResumeSlot;
    }
}
