// The kernel's published tables (docs/abi.md's windows) as one JSON object, read with plain
// loads at the moment of writing: the clock (with the time-stamp counter and the idle cycles, which
// a benchmark reads to take idle time out), the live rows of the environment table, the frame
// table run-length encoded by reference count, and the buffer-cache registry by block class.
// Nothing is allocated. A section that would not fit stops early and says "truncated": true.
// Missing: the kernel does not publish who holds a frame, the time-slot vector (only each
// environment's HasSlot bit) or the installed packet filters, so none of those can be shown.
using ExoSharp.Abi;
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.Net.Ring;

namespace ExoSharp.Apps.Cheetah
{
    internal static unsafe class KernelState
    {
        /// <summary>Block classes in "disk" runs: free, allocated (on disk only), in core and
        /// clean, in core and dirty, reserved or free-pending.</summary>
        public const int BlockFree = 0, BlockAllocated = 1, BlockInCore = 2, BlockDirty = 3, BlockOther = 4;

        /// <summary>The frames the frame table's window covers (its mapped pages, 2,048 frames each).</summary>
        public static ulong CountFrames()
        {
            ulong pages = 0, limit = (UserLayout.Clock - UserLayout.FrameTable) / 4096;
            while (pages < limit && (KernelTables.PageEntry(UserLayout.FrameTable + pages * 4096) & 1) != 0) pages++;
            return pages * 2048;
        }

        /// <summary>The disk's blocks the registry shows (0: no XN disk, the window is not mapped).</summary>
        public static ulong CountBlocks()
        {
            XnInfo info;
            if (SystemCall.XnInfo(&info) < 0) return 0;
            ulong blocks = info.Blocks;
            // Only as far as the window is mapped, whatever the call said.
            ulong bytes = blocks * (ulong)sizeof(BlockRecord), mapped = 0;
            while (mapped < bytes && (KernelTables.PageEntry(UserLayout.BlockRegistry + mapped) & 1) != 0) mapped += 4096;
            return mapped < bytes ? mapped / (ulong)sizeof(BlockRecord) : blocks;
        }

        /// <summary>Writes the object; frames and blocks as CountFrames and CountBlocks gave.
        /// Precondition: w has at least 4 KiB.</summary>
        public static void Write(ref AsciiWriter w, ulong frames, ulong blocks, int capacity)
        {
            ClockRecord* clock = (ClockRecord*)UserLayout.Clock;
            w.Text("{\"ticks\":"); w.Decimal(clock->Ticks);
            w.Text(",\"hz\":"); w.Decimal(clock->TicksPerSecond);
            w.Text(",\"tsc\":"); w.Decimal(NetClock.Tsc());
            w.Text(",\"idle\":"); w.Decimal(System.Threading.Volatile.Read(ref clock->IdleCycles));
            WriteEnvironments(ref w, capacity - 3072);
            WriteFrames(ref w, frames, capacity - 2048);
            WriteDisk(ref w, blocks, capacity - 64);
            w.Text(",\"unpublished\":[\"frame holders\",\"time-slot vector\",\"packet filters\"]}\n");
        }

        /// <summary>"envs": [id, parent, status, callee] for each live row; "ended": rows kept after
        /// their environment ended; "slotted": environments that own a time slot.</summary>
        private static void WriteEnvironments(ref AsciiWriter w, int limit)
        {
            EnvRecord* table = (EnvRecord*)UserLayout.EnvTable;
            ulong ended = 0, slotted = 0;
            bool first = true, truncated = false;
            w.Text(",\"envs\":[");
            for (int i = 0; i < Capability.MaxEnvironments; i++)
            {
                EnvRecord row = table[i];
                if ((row.Status & EnvRecord.Ended) != 0) ended++;
                if ((row.Status & EnvRecord.Live) == 0) continue;
                if ((row.Status & EnvRecord.HasSlot) != 0) slotted++;
                if (w.Length > limit) { truncated = true; continue; }
                if (!first) w.Byte((byte)',');
                first = false;
                w.Byte((byte)'['); w.Decimal(row.Id);
                w.Byte((byte)','); w.Decimal(row.ParentId);
                w.Byte((byte)','); w.Decimal(row.Status);
                w.Byte((byte)','); w.Decimal(row.Callee);
                w.Byte((byte)']');
            }
            w.Text("],\"ended\":"); w.Decimal(ended);
            w.Text(",\"slotted\":"); w.Decimal(slotted);
            if (truncated) w.Text(",\"envsTruncated\":true");
        }

        /// <summary>"frames": {count, held (frames with a reference), runs: [references, length, ...]}.</summary>
        private static void WriteFrames(ref AsciiWriter w, ulong frames, int limit)
        {
            ushort* table = (ushort*)UserLayout.FrameTable;
            ulong held = 0, covered = 0;
            w.Text(",\"frames\":{\"count\":"); w.Decimal(frames);
            w.Text(",\"runs\":[");
            ulong at = 0;
            bool truncated = false;
            while (at < frames)
            {
                ushort value = table[at];
                ulong end = at + 1;
                while (end < frames && table[end] == value) end++;
                if (value != 0) held += end - at;
                if (!truncated && w.Length > limit) truncated = true;
                if (!truncated)
                {
                    if (at != 0) w.Byte((byte)',');
                    w.Decimal(value); w.Byte((byte)','); w.Decimal(end - at);
                    covered = end;
                }
                at = end;
            }
            w.Text("],\"held\":"); w.Decimal(held);
            if (truncated) { w.Text(",\"truncated\":true,\"covered\":"); w.Decimal(covered); }
            w.Byte((byte)'}');
        }

        /// <summary>"disk": {blocks, counts by class, runs: [class, length, ...]}, or null without a disk.</summary>
        private static void WriteDisk(ref AsciiWriter w, ulong blocks, int limit)
        {
            if (blocks == 0) { w.Text(",\"disk\":null"); return; }
            BlockRecord* registry = (BlockRecord*)UserLayout.BlockRegistry;
            ulong* counts = stackalloc ulong[5];
            for (int k = 0; k < 5; k++) counts[k] = 0;
            w.Text(",\"disk\":{\"blocks\":"); w.Decimal(blocks);
            w.Text(",\"runs\":[");
            ulong at = 0;
            bool truncated = false;
            while (at < blocks)
            {
                int kind = Class(registry[at]);
                ulong end = at + 1;
                while (end < blocks && Class(registry[end]) == kind) end++;
                counts[kind] += end - at;
                if (!truncated && w.Length > limit - 40) truncated = true;
                if (!truncated)
                {
                    if (at != 0) w.Byte((byte)',');
                    w.Decimal((ulong)kind); w.Byte((byte)','); w.Decimal(end - at);
                }
                at = end;
            }
            w.Text("],\"classes\":[");
            for (int k = 0; k < 5; k++)
            {
                if (k != 0) w.Byte((byte)',');
                w.Decimal(counts[k]);
            }
            w.Byte((byte)']');
            if (truncated) w.Text(",\"truncated\":true");
            w.Byte((byte)'}');
        }

        private static int Class(BlockRecord r)
        {
            if (r.State == BlockRecord.Free) return BlockFree;
            if (r.State != BlockRecord.Allocated) return BlockOther;
            if ((r.Flags & BlockRecord.InCore) == 0) return BlockAllocated;
            return (r.Flags & BlockRecord.Dirty) != 0 ? BlockDirty : BlockInCore;
        }
    }
}
