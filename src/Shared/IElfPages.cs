// Where ElfLoader puts an image's pages: the kernel's loader for the first program
// (Core/ProgramLoader.cs: fresh frames in the new environment) and ExOS's Spawn (frames filled
// through a scratch mapping, then given to the child). Begin returns memory for one page, zero
// where nothing is copied; End says its bytes are in place.
namespace ExoSharp.Shared
{
    public unsafe interface IElfPages
    {
        /// <summary>Whether a segment may occupy [address, address + size) (user space, below the stack).</summary>
        bool Fits(ulong address, ulong size);

        /// <summary>The page at address, mapped with these permissions (a page asked for again,
        /// shared by two segments, gets the union), or null when it cannot be had.</summary>
        byte* Begin(ulong page, bool writable, bool executable);

        /// <summary>The page's bytes are in place; false: give up.</summary>
        bool End(ulong page);
    }
}
