// Flags of a mapping (PageMapOne, PageMapRange) and of PageInfo. A mapping is always readable by its environment;
// Writable needs a frame capability with the write right. Available bits are the library
// OS's own (ExOS uses one to mark copy-on-write pages) and are kept in the page table.
namespace ExoSharp.Abi
{
    public static class PageFlags
    {
        public const ulong Writable = 1UL << 1;
        public const ulong Executable = 1UL << 3;
        /// <summary>Three bits the library OS may use as it likes (page-table bits 9-11).</summary>
        public const ulong Available = 7UL << 9;
        public const ulong CopyOnWrite = 1UL << 9;
        public const ulong Allowed = Writable | Executable | Available;
    }
}
