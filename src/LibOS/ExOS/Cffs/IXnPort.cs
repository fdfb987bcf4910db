// The seam between C-FFS and XN: the checked calls the file system makes, one owner's view. In the
// guest it is ExOS's system-call wrappers (ExOS.CffsPort); on the host XN's core itself
// (tools/fsimage's HostXnPort), so the same file-system code runs in both. Results are XN's: 0 or
// a non-negative value, or a negative Abi.Error. Blocks are XN's physical block numbers.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS.Cffs
{
    public unsafe interface IXnPort
    {
        /// <summary>Blocks on the disk, and the first one XN hands out.</summary>
        uint BlockCount { get; }
        uint FirstBlock { get; }
        /// <summary>The type the next RegisterTemplate will return (templates fill the lowest free slot).</summary>
        uint NextTemplateType();
        long RegisterTemplate(ProgramInstruction* program, int count);
        /// <summary>The root's block when a root of that name and key exists; NoSuchBlock when none has the name.</summary>
        long OpenRoot(byte* name, int length, ulong key);
        long CreateRoot(byte* name, int length, ulong key, uint block, uint type);
        long Alloc(uint parent, int offset, byte* bytes, int length, uint first, uint count, uint type);
        long Free(uint parent, int offset, byte* bytes, int length, uint first, uint count);
        /// <summary>Moves the pointers fromBytes drop from `from` to `to`, whose toBytes must add exactly
        /// them: both changes or neither, one parent on disk at every crash point (docs/xn.md).</summary>
        long Move(uint from, int fromOffset, byte* fromBytes, int fromLength, uint to, int toOffset, byte* toBytes, int toLength);
        /// <summary>Writes into a block in core (a whole data block needs no fetch).</summary>
        long Write(uint block, int offset, byte* bytes, int length);
        long Read(uint block, int offset, byte* into, int length);
        /// <summary>Brings a block into core and waits for it (0 at once when it is there).</summary>
        long Fetch(uint block);
        /// <summary>Brings the blocks [first, first + count) into core (count 1-32), stopping at the first
        /// that cannot be read, and waits for them: how many from first on are in core, or the error
        /// of the first. One call and one wait for a run (read-ahead).</summary>
        long FetchRun(uint first, uint count);
        long Evict(uint block);
        /// <summary>Writes everything of this owner's out in XN's order and waits.</summary>
        long Sync();
        /// <summary>Syncs and evicts every clean block of this owner's from the cache.</summary>
        long Reclaim();
        bool IsFree(uint block);
        bool InCore(uint block);
        /// <summary>The block's type as XN's registry shows it (0: data).</summary>
        uint TypeOf(uint block);
        /// <summary>Changes when the caller becomes another environment (a forked child, which holds no
        /// root capability): the file system drops the copies it made of blocks, read with the old authority.</summary>
        ulong Epoch { get; }
        /// <summary>Seconds since 1970 (0 when there is no clock).</summary>
        ulong Now();
    }
}
