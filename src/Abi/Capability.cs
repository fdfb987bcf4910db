// Capabilities: each environment has a table of them, named by handles. A handle is
// (generation << 16) | slot: a freed slot's next use gets a new generation, so stale handles
// fail; another environment's handle indexes the caller's own table, so it cannot reach
// anything the caller does not hold. Handle 0 is always the caller itself.
namespace ExoSharp.Abi
{
    public static class Capability
    {
        public const ulong Self = 0;
        public const int TableSize = 4096;
        public const int MaxEnvironments = 1024;
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

        /// <summary>Most entries one PageMap call accepts.</summary>
        public const ulong MaxPageMapBatch = 512;
    }
}
