// C-FFS's seam onto XN in the guest (Cffs.IXnPort): ExOS's system-call wrappers, one root: its key
// opens it (OpenRoot, CreateRoot), and the XnRoot capability that gives is what every later call names.
// Free and in-core blocks come from the buffer-cache registry window without a system call.
// Times come from the kernel's clock page (Clock.UnixSeconds). A forked child holds no root
// capability until it first needs it (Detach; the first XN call opens the root again), and the port
// notes whether this environment changed anything (Wrote), so an exit that wrote nothing skips
// the sync.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.ExOS
{
    public sealed unsafe class CffsPort : IXnPort
    {
        private readonly ulong _key;
        private ulong _handle;          // the XnRoot capability (0: no root open yet)
        private readonly uint _blocks, _first;
        private byte[] _root;           // the root's name as OpenRoot was given it
        private bool _detached, _wrote;

        private static ulong s_epoch;       // bumped in every forked child (a fork hook)

        public CffsPort(ulong key)
        {
            _key = key;
            Process.AddForkHooks(&BeforeFork, &InChild);
            XnInfo info;
            SystemCall.XnInfo(&info);
            _blocks = (uint)info.Blocks;
            _first = (uint)info.FirstBlock;
        }

        /// <summary>The XnRoot capability the port's calls name (0 before a root is open).</summary>
        public ulong RootHandle => _handle;
        public uint BlockCount => _blocks;
        public uint FirstBlock => _first;

        public uint NextTemplateType()
        {
            XnInfo info;
            SystemCall.XnInfo(&info);
            return (uint)info.NextTemplate;
        }

        public long RegisterTemplate(ProgramInstruction* program, int count)
        {
            _wrote = true;
            return SystemCall.XnTemplate(program, count);
        }
        public long OpenRoot(byte* name, int length, ulong key)
        {
            _root = new byte[length];
            for (int i = 0; i < length; i++) _root[i] = name[i];
            ulong block = ulong.MaxValue;
            long handle = SystemCall.XnRootOpen(name, length, key, &block);
            if (handle < 0) return handle;
            _handle = (ulong)handle;
            return (long)block;
        }

        /// <summary>In a forked child: the root's authority is not taken again until an XN call
        /// needs it, and nothing is written yet.</summary>
        public void Detach()
        {
            _detached = _root != null;
            _wrote = false;
        }

        /// <summary>This environment changed blocks (allocated, freed, moved or wrote) since it started or forked.</summary>
        public bool Wrote => _wrote;

        private void Attach()
        {
            if (!_detached) return;
            _detached = false;
            long handle;
            fixed (byte* name = _root) handle = SystemCall.XnRootOpen(name, _root.Length, _key);
            _handle = handle < 0 ? 0 : (ulong)handle;
        }

        public long CreateRoot(byte* name, int length, ulong key, uint block, uint type)
        {
            long handle = SystemCall.XnRootCreate(name, length, key, block, type);
            if (handle < 0) return handle;
            _root = new byte[length];
            for (int i = 0; i < length; i++) _root[i] = name[i];
            _handle = (ulong)handle;
            return block;
        }

        public long Alloc(uint parent, int offset, byte* bytes, int length, uint first, uint count, uint type)
        {
            Attach();
            _wrote = true;
            var change = new XnChange { Block = parent, Offset = (ulong)offset, Bytes = (ulong)bytes, Length = (ulong)length, First = first, Count = count, Type = type, Root = _handle };
            return SystemCall.XnAlloc(&change);
        }

        public long Free(uint parent, int offset, byte* bytes, int length, uint first, uint count)
        {
            Attach();
            _wrote = true;
            var change = new XnChange { Block = parent, Offset = (ulong)offset, Bytes = (ulong)bytes, Length = (ulong)length, First = first, Count = count, Root = _handle };
            return SystemCall.XnFree(&change);
        }

        public long Move(uint from, int fromOffset, byte* fromBytes, int fromLength, uint to, int toOffset, byte* toBytes, int toLength)
        {
            Attach();
            _wrote = true;
            var f = new XnChange { Block = from, Offset = (ulong)fromOffset, Bytes = (ulong)fromBytes, Length = (ulong)fromLength, Root = _handle };
            var t = new XnChange { Block = to, Offset = (ulong)toOffset, Bytes = (ulong)toBytes, Length = (ulong)toLength };
            return SystemCall.XnMove(&f, &t);
        }

        public long Write(uint block, int offset, byte* bytes, int length)
        {
            Attach();
            _wrote = true;
            var change = new XnChange { Block = block, Offset = (ulong)offset, Bytes = (ulong)bytes, Length = (ulong)length, Root = _handle };
            return SystemCall.XnWrite(&change);
        }

        /// <summary>The buffer's pages are written first: after a fork they may be copy-on-write, and
        /// the kernel refuses to write into a page the environment cannot write (BadAddress).</summary>
        public long Read(uint block, int offset, byte* into, int length)
        {
            Attach();
            if (length > 0)
            {
                for (byte* p = into; p < into + length; p += 4096 - (long)((ulong)p % 4096)) *p = 0;
                into[length - 1] = 0;
            }
            return SystemCall.XnRead(_handle, block, (ulong)offset, into, (ulong)length);
        }

        public long Fetch(uint block)
        {
            if (InCore(block)) return 0;
            Attach();
            return SystemCall.XnFetch(_handle, block);
        }

        public long FetchRun(uint first, uint count)
        {
            Attach();
            return SystemCall.XnFetchRun(_handle, first, count);
        }

        public long Evict(uint block)
        {
            Attach();
            return SystemCall.XnEvict(_handle, block);
        }

        /// <summary>Detached: nothing of this environment's can be dirty (it has written nothing).</summary>
        public long Sync() => _detached ? 0 : SystemCall.XnSync(_handle);

        public long Reclaim()
        {
            Attach();
            long r = SystemCall.XnSync(_handle);
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            for (uint b = _first; b < _blocks; b++)
            {
                byte flags = registry[b].Flags;
                if ((flags & BlockRecord.InCore) != 0 && (flags & (BlockRecord.Dirty | BlockRecord.Writing | BlockRecord.Reading)) == 0)
                    SystemCall.XnEvict(_handle, b);
            }
            return r;
        }

        public bool IsFree(uint block) => block < _blocks && ((BlockRecord*)UserLayout.BlockRegistry)[block].State == BlockRecord.Free;

        public bool InCore(uint block) =>
            block < _blocks && (((BlockRecord*)UserLayout.BlockRegistry)[block].Flags & (BlockRecord.InCore | BlockRecord.Reading)) == BlockRecord.InCore;

        public uint TypeOf(uint block) => block < _blocks ? ((BlockRecord*)UserLayout.BlockRegistry)[block].Type : 0u;

        public ulong Now() => Clock.UnixSeconds;

        public ulong Epoch => s_epoch;

        private static void BeforeFork(bool undo) { }

        private static void InChild() => s_epoch++;
    }
}
