// C-FFS's seam onto XN on the host (Cffs.IXnPort): XN's core called directly, one owner key, the
// disk's completions pumped where the kernel would take an interrupt. Used by tools/fsimage and
// the host tests, so they run the guest's file-system code unchanged.
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.Xn;

namespace ExoSharp.Tools.FsImage
{
    public sealed unsafe class HostXnPort : IXnPort
    {
        private readonly XnVolume _xn;
        private readonly ImageDisk _disk;
        private readonly ulong _key;
        private readonly uint[] _ready = new uint[1024];

        public XnVolume Volume => _xn;
        public ulong Clock { get; set; } = 1_700_000_000;

        public HostXnPort(XnVolume xn, ImageDisk disk, ulong key)
        {
            _xn = xn;
            _disk = disk;
            _key = key;
        }

        public uint BlockCount => _xn.BlockCount;
        public uint FirstBlock => XnLayout.FirstAllocatable;
        public uint NextTemplateType() => _xn.NextTemplate;

        public long RegisterTemplate(ProgramInstruction* program, int count)
        {
            var code = new Instruction[count];
            for (int i = 0; i < count; i++) code[i] = new Instruction { Code = program[i].Code, JumpTrue = program[i].JumpTrue, JumpFalse = program[i].JumpFalse, K = program[i].K };
            Error e = _xn.RegisterTemplate(code, out uint type, out _);
            return e != 0 ? (long)e : type;
        }

        public long OpenRoot(byte* name, int length, ulong key)
        {
            int index = _xn.FindRoot(new ReadOnlySpan<byte>(name, length));
            if (index < 0) return (long)Error.NoSuchBlock;
            RootEntry root = _xn.Root(index);
            return root.Owner == key ? root.Block : (long)Error.NoRights;
        }

        public long CreateRoot(byte* name, int length, ulong key, uint block, uint type)
        {
            Error e = _xn.CreateRoot(key, new ReadOnlySpan<byte>(name, length), block, type, out _);
            return e != 0 ? (long)e : block;
        }

        public long Alloc(uint parent, int offset, byte* bytes, int length, uint first, uint count, uint type) =>
            (long)_xn.Alloc(_key, parent, offset, new ReadOnlySpan<byte>(bytes, length), first, count, type);

        public long Free(uint parent, int offset, byte* bytes, int length, uint first, uint count) =>
            (long)_xn.Free(_key, parent, offset, new ReadOnlySpan<byte>(bytes, length), first, count);

        public long Move(uint from, int fromOffset, byte* fromBytes, int fromLength, uint to, int toOffset, byte* toBytes, int toLength) =>
            (long)_xn.Move(_key, from, fromOffset, new ReadOnlySpan<byte>(fromBytes, fromLength), to, toOffset, new ReadOnlySpan<byte>(toBytes, toLength));

        public long Write(uint block, int offset, byte* bytes, int length)
        {
            if (block >= _xn.BlockCount) return (long)Error.NoSuchBlock;
            var span = new ReadOnlySpan<byte>(bytes, length);
            return _xn.Entry(block).Type == 0 ? (long)_xn.WriteData(_key, block, offset, span) : (long)_xn.WriteMetadata(_key, block, offset, span);
        }

        public long Read(uint block, int offset, byte* into, int length) =>
            (long)_xn.Read(_key, block, offset, new Span<byte>(into, length));

        public long Fetch(uint block)
        {
            Error e = _xn.Fetch(_key, block);
            if (e != 0) return (long)e;
            if (!_xn.IsReadable(block)) _disk.Pump();
            return _xn.IsReadable(block) ? 0 : (long)Error.NotInCore;
        }

        /// <summary>Fetch for each block from first, stopping at the first that fails (its error when
        /// it is the first); how many from first on are in core.</summary>
        public long FetchRun(uint first, uint count)
        {
            if (count == 0 || count > XnVolume.QueueDepth) return (long)Error.BadLength;
            uint got = 0;
            for (uint b = first; b < first + count; b++)
            {
                Error e = _xn.Fetch(_key, b);
                if (e != 0)
                {
                    if (got == 0) return (long)e;
                    break;
                }
                got++;
            }
            _disk.Pump();
            return _xn.IsReadable(first) ? got : (long)Error.NotInCore;
        }

        public long Evict(uint block) => (long)_xn.Evict(block);

        public long Sync()
        {
            for (int round = 0; round < 100000; round++)
            {
                int n = _xn.Writeback(_ready);
                for (int i = 0; i < n; i++)
                    if (_xn.StartWrite(_ready[i]) == Error.TableFull) break;
                if (n == 0 && _disk.Pending == 0) return 0;
                _disk.Pump();
            }
            return (long)Error.BadArgument;
        }

        public long Reclaim()
        {
            long r = Sync();
            for (int slot = 0; slot < _xn.CacheSlots; slot++)
            {
                uint b = _xn.BlockInSlot(slot);
                if (b != XnVolume.NoBlock && b >= XnLayout.FirstAllocatable && b < _xn.BlockCount && _xn.OwnerOf(b) == _key) _xn.Evict(b);
            }
            return r;
        }

        public bool IsFree(uint block) => _xn.IsFree(block);
        public bool InCore(uint block) => block < _xn.BlockCount && _xn.IsReadable(block);
        public ulong Epoch => 0;
        public uint TypeOf(uint block) => block < _xn.BlockCount ? _xn.Entry(block).Type : 0u;
        public ulong Now() => Clock;
    }
}
