// ExOS's own use of the address space (policy of this library OS, not the kernel's): where
// the heap grows, the exception stack (every upcall's frame and saved state), the scratch
// page for copies. The image is at 0x700000000000 (user.ld); the stack is where the kernel
// put it (Abi.UserLayout).
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

        /// <summary>The open file descriptions (Files): one page shared writable, not copied, with
        /// every child a fork makes, so parent and children share file offsets.</summary>
        public const ulong FileTable = 0x6FE0_0000;

        /// <summary>The console's receive ring (Console.Open; Abi.ConsoleRing), one page.</summary>
        public const ulong ConsoleRing = 0x6FD0_0000;
        /// <summary>Pages shared writable, not copied, with every child a fork makes (a Linux pipe's
        /// buffer and counts): whatever is mapped in [SharedPages, SharedPagesLimit) at the fork.</summary>
        public const ulong SharedPages = 0x6FC0_0000, SharedPagesLimit = 0x6FD0_0000;

        /// <summary>The page for a scratch mapping (copy-on-write copies, dumbfork).</summary>
        public const ulong TempPage = 0x6FF0_0000;

        /// <summary>The exception stack: ExceptionStackPages pages below ExceptionStackTop;
        /// the first upcall's frame goes in its top page (ExceptionStackPage), nested ones and
        /// each one's saved extended state (ExtendedState.cs) below. Its last word holds the low
        /// mark of the live upcall frames (start.asm, which has this address as an equ too).</summary>
        public const ulong ExceptionStackTop = 0x7000_0000;
        public const int ExceptionStackPages = 4;
        public const ulong ExceptionStackBase = ExceptionStackTop - ExceptionStackPages * 4096;
        public const ulong ExceptionStackPage = ExceptionStackTop - 4096;

        /// <summary>Is rsp on the exception stack (inside an upcall's handler)?</summary>
        public static bool OnExceptionStack(ulong rsp) => rsp > ExceptionStackBase && rsp <= ExceptionStackTop;
    }
}
