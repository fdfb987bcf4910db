// A pipe's buffer and counts in two pages of ExOS's shared region (Layout.SharedPages, mapped
// writable, not copied, into every child a fork makes), one slot of PagesPerPipe pages per pipe:
// a 64-byte header (bytes written and read so far, the references of each end, a lock, each
// end's O_NONBLOCK, who last read and wrote) and Capacity bytes of ring. Counts change with lock xadd and the ring under
// the lock (xchg), so a preempted holder is safe; waiters yield. A process maps a slot while it
// holds a descriptor for either end and drops its frames with its last one; a frame is freed
// when no process holds it. Missing: a holder killed while holding the lock (or an end) is
// never noticed.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class PipeBuffer
    {
        [RuntimeImport("linux_xadd32")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern uint AtomicAdd(uint* address, int delta);
        [RuntimeImport("linux_xchg32")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern uint Exchange(uint* address, uint value);

        public const int PagesPerPipe = 2;
        private const ulong SlotSize = PagesPerPipe * 4096, HeaderSize = 64;
        public const ulong Capacity = SlotSize - HeaderSize;
        public const int Slots = (int)((Layout.SharedPagesLimit - Layout.SharedPages) / SlotSize);

        private struct Header
        {
            public ulong Written, Read;
            public uint Readers, Writers;
            public uint Lock;
            public int ReadFlags, WriteFlags;
            public uint Id;
            public ulong LastReader, LastWriter;        // the environments that last read and wrote (0: none yet)
        }

        private static uint s_ids;

        private static Header* At(int slot) => (Header*)(Layout.SharedPages + (ulong)slot * SlotSize);
        private static byte* Ring(int slot) => (byte*)At(slot) + HeaderSize;

        private static bool Mapped(int slot) => (KernelTables.PageEntry((ulong)At(slot)) & 1) != 0;

        /// <summary>A new pipe with one reference to each end: its slot, or -errno (ENFILE as EMFILE).</summary>
        public static long Create(int readFlags, int writeFlags)
        {
            int slot = 0;
            while (slot < Slots && Mapped(slot)) slot++;
            if (slot == Slots) return -(long)ExOS.Cffs.Errno.EMFILE;
            ulong base_ = (ulong)At(slot);
            for (int p = 0; p < PagesPerPipe; p++)
                if (Memory.AllocatePage(base_ + (ulong)p * 4096, PageFlags.Writable) < 0)
                {
                    for (int q = 0; q < p; q++) Release(base_ + (ulong)q * 4096);
                    return -(long)ExOS.Cffs.Errno.ENOMEM;
                }
            System.Runtime.InteropServices.NativeMemory.Clear((void*)base_, (nuint)HeaderSize);
            Header* h = At(slot);
            h->Readers = 1;
            h->Writers = 1;
            h->ReadFlags = readFlags;
            h->WriteFlags = writeFlags;
            h->Id = ++s_ids + (uint)(Process.Id << 16);
            return slot;
        }

        public static void AddReference(int slot, bool writeEnd, int delta) =>
            AtomicAdd(writeEnd ? &At(slot)->Writers : &At(slot)->Readers, delta);

        public static uint References(int slot, bool writeEnd) =>
            System.Threading.Volatile.Read(ref writeEnd ? ref At(slot)->Writers : ref At(slot)->Readers);

        /// <summary>This process holds no descriptor for the slot any more: drops its frames (and
        /// so their mappings here).</summary>
        public static void Unmap(int slot)
        {
            for (int p = 0; p < PagesPerPipe; p++) Release((ulong)At(slot) + (ulong)p * 4096);
        }

        private static void Release(ulong page)
        {
            PageInfo info;
            SystemCall.PageQuery(page, &info);
            if (info.Flags != 0) SystemCall.FrameFree(info.FrameHandle);
        }

        public static int GetFlags(int slot, bool writeEnd) => writeEnd ? At(slot)->WriteFlags : At(slot)->ReadFlags;

        public static void SetFlags(int slot, bool writeEnd, int flags)
        {
            if (writeEnd) At(slot)->WriteFlags = flags;
            else At(slot)->ReadFlags = flags;
        }

        public static uint Id(int slot) => At(slot)->Id;

        /// <summary>The environment that last read (or wrote: writeEnd) the pipe, 0 when none has:
        /// whom a waiting writer (reader) yields to.</summary>
        public static ulong Last(int slot, bool writeEnd) => System.Threading.Volatile.Read(ref writeEnd ? ref At(slot)->LastWriter : ref At(slot)->LastReader);

        public static void NoteLast(int slot, bool writeEnd, ulong id)
        {
            if (writeEnd) At(slot)->LastWriter = id; else At(slot)->LastReader = id;
        }

        public static ulong Buffered(int slot) => At(slot)->Written - At(slot)->Read;

        private static void Lock(int slot)
        {
            while (Exchange(&At(slot)->Lock, 1) != 0) SystemCall.Yield();
        }

        private static void Unlock(int slot) => Exchange(&At(slot)->Lock, 0);

        /// <summary>Moves at most count buffered bytes into buffer: how many (0: none buffered now).</summary>
        public static ulong TryRead(int slot, byte* buffer, ulong count)
        {
            Lock(slot);
            Header* h = At(slot);
            ulong available = h->Written - h->Read;
            ulong n = available < count ? available : count;
            byte* ring = Ring(slot);
            for (ulong i = 0; i < n; i++) buffer[i] = ring[(h->Read + i) % Capacity];
            h->Read += n;
            Unlock(slot);
            return n;
        }

        /// <summary>Appends at most count bytes when at least atLeast fit now: how many (0: they do not).</summary>
        public static ulong TryWrite(int slot, byte* buffer, ulong count, ulong atLeast)
        {
            Lock(slot);
            Header* h = At(slot);
            ulong space = Capacity - (h->Written - h->Read);
            ulong n = 0;
            if (space >= atLeast && space > 0)
            {
                n = space < count ? space : count;
                byte* ring = Ring(slot);
                for (ulong i = 0; i < n; i++) ring[(h->Written + i) % Capacity] = buffer[i];
                h->Written += n;
            }
            Unlock(slot);
            return n;
        }
    }
}
