// Capabilities: each environment has a table of them, named by handles. A handle is
// (generation << HandleIndexBits) | slot: a freed slot's next use gets a new generation, and a
// slot whose generation reaches MaxGeneration is never used again, so a stale handle never
// names anything; another environment's handle indexes the caller's own table, so it cannot
// reach anything the caller does not hold. Handle 0 is always the caller itself. Tables grow
// (a page of slots at a time) up to MaxTableSize slots.
namespace ExoSharp.Abi
{
    public static class Capability
    {
        public const ulong Self = 0;

        /// <summary>The slot that holds the reply capability while a call is being served (IpcWait
        /// returns its handle; IpcReply uses it up). Never handed out for anything else.</summary>
        public const int ReplySlot = 1;

        /// <summary>The handle EnvCreate gives a child for its creator: Call and Yield rights, badge
        /// the child's own id (derived from the creator's Self: CapRevoke(Self) takes it back).</summary>
        public const ulong Parent = 2;
        /// <summary>Bits of a handle that name the slot; the generation is above them.</summary>
        public const int HandleIndexBits = 20;

        /// <summary>Most slots a table can grow to (handle & (MaxTableSize - 1) is the slot).</summary>
        public const int MaxTableSize = 1 << HandleIndexBits;

        /// <summary>Slots a table grows by (one page of them).</summary>
        public const int TableChunk = 64;

        /// <summary>A slot freed at this generation is retired (never reused): handles stay below 2^63.</summary>
        public const ulong MaxGeneration = (1UL << (63 - HandleIndexBits)) - 1;

        /// <summary>Bits of an environment id that name its table index; the generation is above them
        /// (an index whose generation reaches MaxEnvGeneration is never used again).</summary>
        public const int EnvIndexBits = 12;
        public const ulong MaxEnvGeneration = (1UL << (63 - EnvIndexBits)) - 1;

        public const int MaxEnvironments = 1024;

        /// <summary>CapRevoke removes at most this many capabilities a call (the kernel's work
        /// with interrupts off stays bounded); call it again until it returns 0.</summary>
        public const int RevokePerCall = 512;

        /// <summary>FrameFree, CapDrop and CapRevoke unmap at most this many mappings of a frame a
        /// call; FrameFree and CapDrop then return 1 with the capability still there: call again.</summary>
        public const ulong UnmapPerCall = 128;
        public const int SliceCount = 1024;

        /// <summary>FrameAlloc's argument for "any free frame".</summary>
        public const ulong AnyFrame = ulong.MaxValue;

        /// <summary>SliceAlloc's argument for "any free slot".</summary>
        public const ulong AnySlot = ulong.MaxValue;

        /// <summary>Timer ticks an epilogue may run before it must have yielded.</summary>
        public const ulong EpilogueGraceTicks = 2;

        /// <summary>Overstayed epilogues before the kernel kills the environment (each costs a slice).</summary>
        public const int EpilogueStrikes = 3;

        /// <summary>Timer ticks an environment has to give back revoked frames.</summary>
        public const ulong RevokeGraceTicks = 10;

        /// <summary>Most pages one PageShare call maps (it then returns how far it got: call again).</summary>
        public const ulong SharePerCall = 64;

        /// <summary>Most entries one PageMap call accepts.</summary>
        public const ulong MaxPageMapBatch = 512;
    }
}
