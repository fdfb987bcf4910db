// XN's core (runs in the kernel, compiled in from src/Xn, and on the host in tests/Xn; its kernel side
// is src/Kernel/Xn): one disk protected by ad hoc induction: every metadata change runs the block's owns()
// before and after and is undone unless the difference is what the operation claims (docs/xn.md).
// Invariants: every allocated block is named once, by its parent; a block is written only after
// its new children, and reused only once no parent on disk names it; block contents live in pages
// taken when the volume is built. Not reentrant. Missing: swap/move, template removal, sharing.
using System;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;

namespace ExoSharp.Xn;

public sealed unsafe class XnVolume : IDiskCompletion
{
    public const uint NoBlock = 0xFFFFFFFFu;
    /// <summary>No owner: OwnerOf of a block that is not allocated; no root may have it.</summary>
    public const ulong NoOwner = 0;
    /// <summary>Transfers in flight at once (request slots).</summary>
    public const int QueueDepth = 32;
    /// <summary>XN keeps its superblock (the move log), catalogue and template slots in core.</summary>
    public const int ReservedSlots = 2 + XnLayout.MaxTemplates * XnLayout.SlotBlocks;

    private readonly IBlockDevice _disk;
    private readonly IOwnsRunner _runner;
    private readonly IPageSource _pages; // kept: on the host its lifetime is the pages'
    private readonly BufferCache _cache;
    private readonly bool _short;
    private readonly Template[] _templates = new Template[XnLayout.MaxTemplates + 1];
    private readonly RootEntry[] _roots = new RootEntry[XnLayout.MaxRoots];
    private BlockEntry[] _blocks;
    private uint _blockCount;
    private bool _mounted;

    // Requests in flight.
    private readonly bool[] _requestBusy = new bool[QueueDepth];
    private readonly bool[] _requestWrite = new bool[QueueDepth];
    private readonly uint[] _requestBlock = new uint[QueueDepth];
    private readonly uint[] _requestSeq = new uint[QueueDepth];
    private readonly int[] _requestSlot = new int[QueueDepth];
    private readonly byte*[] _staging = new byte*[QueueDepth];
    private readonly ulong[] _stagingFrame = new ulong[QueueDepth];

    // Scratch for checks (no allocation per operation).
    private readonly EmitRecord[] _records = new EmitRecord[XnLayout.MaxRecords];
    private readonly Extent[] _before = new Extent[XnLayout.MaxRecords];
    private readonly Extent[] _after = new Extent[XnLayout.MaxRecords];
    // The owns() result of the last block a checked change left (its S1), the S0 of the next
    // change to the same block: valid while the block keeps its slot and its bytes change only
    // through Induce (TakeSlot, Restore, Repair and Move forget it).
    private readonly Extent[] _ownsKept = new Extent[XnLayout.MaxRecords];
    private int _ownsKeptCount;
    private uint _ownsBlock = NoBlock;
    private int _ownsSlot = -1;
    private readonly Extent[] _added = new Extent[2 * XnLayout.MaxRecords];
    private readonly Extent[] _removed = new Extent[2 * XnLayout.MaxRecords];
    private readonly byte[] _saved = new byte[XnLayout.BlockSize];
    private readonly byte[] _savedFrom = new byte[XnLayout.BlockSize];

    /// <summary>A move in flight. Phase 1: its record waits for a superblock write taken after
    /// Seq (`to` and `from` tainted); 2: `to` may be written, `from` waits for a write of `to`
    /// taken after Seq; 3: `from` may be written, the record is cleared after a write of `from`
    /// taken after Seq; 0: none.</summary>
    private struct MoveState
    {
        public int Phase, Record;
        public uint From, To, Seq;
        public Extent[] Extents;
        public int ExtentCount;
    }

    /// <summary>The most extents one move may carry.</summary>
    public const int MaxMoveExtents = 8;
    private readonly Extent[] _moved = new Extent[MaxMoveExtents];
    private readonly MoveState[] _moves = new MoveState[XnLayout.MaxMoves];
    private int _movesActive;
    private readonly byte* _scratch;
    private readonly ulong _scratchFrame;
    private readonly byte[] _zero = new byte[XnLayout.BlockSize];
    private int _beforeCount, _afterCount, _addedCount, _removedCount;
    private uint[] _releaseStack;

    public XnStatistics Statistics;

    /// <summary>The pages a volume takes from its IPageSource: a cache slot per block (XN's own
    /// and cacheBlocks more), a staging page per request slot, and a scratch page.</summary>
    public static int PagesNeeded(int cacheBlocks) => cacheBlocks + ReservedSlots + QueueDepth + 1;

    /// <summary>cacheBlocks: slots for library file systems' blocks, beyond XN's own. Takes
    /// PagesNeeded(cacheBlocks) pages from pages now; if it runs dry, Mount fails (NoMemory).</summary>
    public XnVolume(IBlockDevice disk, IOwnsRunner runner, int cacheBlocks, IPageSource pages)
    {
        _disk = disk;
        _runner = runner;
        _pages = pages;
        _scratch = pages.Take(out _scratchFrame);
        bool staged = _scratch != null;
        for (int i = 0; i < QueueDepth && staged; i++)
        {
            _staging[i] = pages.Take(out _stagingFrame[i]);
            staged = _staging[i] != null;
        }
        _cache = new BufferCache(staged ? cacheBlocks + ReservedSlots : 0, pages);
        _short = !staged || _cache.IsShort;
    }

    public uint BlockCount => _blockCount;
    public bool IsMounted => _mounted;
    public int FreeCacheSlots => _cache.FreeSlots;
    /// <summary>BufferCache.Releases: unchanged means no block left the cache.</summary>
    public ulong CacheReleases => _cache.Releases;
    /// <summary>How many times a block became Free (Release); the last ReleaseLog of them are kept
    /// in order (ReleasedBlock), so the kernel's window republishes just those rows.</summary>
    public ulong BlocksReleased { get; private set; }
    public const int ReleaseLog = 4096;
    private readonly uint[] _releaseLog = new uint[ReleaseLog];

    /// <summary>The n-th block released (n counts from 0 at mount); meaningful for the last
    /// ReleaseLog values of n below BlocksReleased.</summary>
    public uint ReleasedBlock(ulong n) => _releaseLog[n % ReleaseLog];

    /// <summary>Moves logged and not yet finished (their completions change several blocks).</summary>
    public int MovesActive => _movesActive;

    /// <summary>The block request tag transfers and whether it is a read; false when the tag is not in flight.</summary>
    public bool RequestOf(int tag, out uint block, out bool read)
    {
        block = NoBlock;
        read = false;
        if (tag < 0 || tag >= QueueDepth || !_requestBusy[tag]) return false;
        block = _requestBlock[tag];
        read = !_requestWrite[tag];
        return true;
    }
    public int CacheSlots => _cache.Capacity;

    /// <summary>The block a cache slot holds (NoBlock: the slot is free). For the kernel's
    /// registry window, which republishes only what can have changed.</summary>
    public uint BlockInSlot(int slot) => _cache.BlockOf(slot);

    // ---------------------------------------------------------------- format and mount

    /// <summary>Writes an empty XN volume (superblock, empty template slots and catalogue) over
    /// blockCount blocks of disk, through one page taken from pages (kept by XN: NoMemory when
    /// none is left). Precondition: nothing is mounted on the disk.</summary>
    public static Error Format(IBlockDevice disk, uint blockCount, IPageSource pages)
    {
        if (blockCount <= XnLayout.FirstAllocatable || blockCount > disk.BlockCount) return Error.BadLength;
        byte* page = pages.Take(out ulong frame);
        if (page == null) return Error.NoMemory;
        var block = new Span<byte>(page, XnLayout.BlockSize);
        block.Clear();
        for (uint b = XnLayout.FirstTemplateBlock; b <= XnLayout.CatalogueBlock; b++)
            if (!disk.WriteNow(b, page, frame)) return Error.BadAddress;
        XnLayout.WriteWord(block, XnLayout.MagicOffset, XnLayout.Magic);
        XnLayout.WriteWord(block, XnLayout.VersionOffset, XnLayout.Version);
        XnLayout.WriteWord(block, XnLayout.BlockCountOffset, blockCount);
        return disk.WriteNow(XnLayout.SuperBlock, page, frame) ? 0 : Error.BadAddress;
    }

    /// <summary>Reads the superblock, templates and catalogue, then walks every root with owns()
    /// to rebuild the registry and the free map. Never fails hard: problems are reported and
    /// the blocks concerned left out. Precondition: not mounted. Fatal: NoMemory when the page
    /// source ran dry building the volume.</summary>
    public MountReport Mount()
    {
        var report = new MountReport();
        if (_mounted) { report.Fatal = Error.BadArgument; return report; }
        if (_short) { report.Fatal = Error.NoMemory; return report; }
        Span<byte> scratch = Scratch;
        if (!_disk.ReadNow(XnLayout.SuperBlock, _scratch, _scratchFrame)) { report.Fatal = Error.BadAddress; return report; }
        uint count = XnLayout.ReadWord(scratch, XnLayout.BlockCountOffset);
        if (XnLayout.ReadWord(scratch, XnLayout.MagicOffset) != XnLayout.Magic ||
            XnLayout.ReadWord(scratch, XnLayout.VersionOffset) != XnLayout.Version ||
            count <= XnLayout.FirstAllocatable || count > _disk.BlockCount)
        {
            report.Fatal = Error.BadArgument;
            return report;
        }
        _blockCount = count;
        _blocks = new BlockEntry[count];
        _releaseStack = new uint[count];
        for (uint b = 0; b < count; b++) ResetEntry(b);
        for (uint b = 0; b < XnLayout.FirstAllocatable; b++)
        {
            _blocks[b].State = BlockState.Reserved;
            _blocks[b].OnDisk = true;
        }

        for (uint type = 1; type <= XnLayout.MaxTemplates; type++) MountTemplate(type, report);
        if (!RecoverMoves(report)) { report.Fatal = Error.BadAddress; return report; }

        int catalogue = TakeSlot(XnLayout.CatalogueBlock);
        Span<byte> entries = _cache.Bytes(catalogue);
        if (!_disk.ReadNow(XnLayout.CatalogueBlock, _cache.Page(catalogue), _cache.Frame(catalogue))) { report.Fatal = Error.BadAddress; return report; }
        uint[] queue = _releaseStack; // unused until mount ends; each block is queued at most once
        int head = 0, tail = 0;
        for (int i = 0; i < XnLayout.MaxRoots; i++)
        {
            int at = i * XnLayout.RootEntrySize;
            ulong owner = XnLayout.ReadLong(entries, at + XnLayout.RootOwnerOffset);
            if (owner == 0) continue;
            uint block = XnLayout.ReadWord(entries, at + XnLayout.RootBlockOffset);
            uint type = XnLayout.ReadWord(entries, at + XnLayout.RootTypeOffset);
            Error error = block < XnLayout.FirstAllocatable || block >= count ? Error.NoSuchBlock
                : type != 0 && (type > XnLayout.MaxTemplates || _templates[type] == null) ? Error.NoSuchType
                : _blocks[block].State != BlockState.Free ? Error.BlockInUse : 0;
            if (error != 0) { report.Add(error, block, XnLayout.CatalogueBlock); continue; }
            _roots[i] = new RootEntry { InUse = true, Block = block, Type = type, Owner = owner };
            Claim(block, type, XnLayout.CatalogueBlock, i);
            _blocks[XnLayout.CatalogueBlock].Children++;
            report.Roots++;
            report.Reachable++;
            if (type != 0) queue[tail++] = block;
        }

        while (head < tail)
        {
            uint parent = queue[head++];
            if (!_disk.ReadNow(parent, _scratch, _scratchFrame)) { report.Add(Error.BadAddress, parent, _blocks[parent].Parent); continue; }
            // Record by record: a bad record is reported and skipped, the others are kept.
            Statistics.OwnsRuns++;
            int emitted = _runner.Run(_templates[_blocks[parent].Type].Program, scratch, _records);
            if (emitted > _records.Length) { report.Add(Error.OverBudget, parent, _blocks[parent].Parent); emitted = _records.Length; }
            for (int i = 0; i < emitted; i++)
            {
                EmitRecord record = _records[i];
                Error error = record.X == 0 ? Error.UdfLied
                    : record.A < XnLayout.FirstAllocatable || (ulong)record.A + record.X > count ? Error.NoSuchBlock
                    : record.K != 0 && TemplateOf(record.K) == null ? Error.NoSuchType : 0;
                if (error != 0) { report.Add(error, parent, _blocks[parent].Parent); continue; }
                for (uint b = record.A; b < record.A + record.X; b++)
                {
                    if (_blocks[b].State != BlockState.Free) { report.Add(Error.BlockInUse, b, parent); continue; }
                    Claim(b, record.K, parent, _blocks[parent].Root);
                    _blocks[parent].Children++;
                    report.Reachable++;
                    if (record.K != 0) queue[tail++] = b;
                }
            }
        }
        _mounted = true;
        return report;
    }

    /// <summary>Finishes the moves the superblock's log holds: when `to` names the blocks on disk
    /// and `from` still does, the change to `from` is redone and written; when `to` does not,
    /// `from` keeps them. Then the log is cleared and the superblock kept in core.</summary>
    private bool RecoverMoves(MountReport report)
    {
        int super = TakeSlot(XnLayout.SuperBlock);
        if (super < 0 || !_disk.ReadNow(XnLayout.SuperBlock, _cache.Page(super), _cache.Frame(super))) return false;
        Span<byte> log = _cache.Bytes(super);
        bool cleared = false;
        for (int r = 0; r < XnLayout.MaxMoves; r++)
        {
            int at = XnLayout.MoveLogOffset + r * XnLayout.MoveRecordSize;
            uint block = XnLayout.ReadWord(log, at), count = XnLayout.ReadWord(log, at + 4);
            if (count == 0) continue;
            uint from = XnLayout.ReadWord(log, at + 8), to = XnLayout.ReadWord(log, at + 12);
            uint fromType = XnLayout.ReadWord(log, at + 16), toType = XnLayout.ReadWord(log, at + 20);
            int offset = (int)XnLayout.ReadWord(log, at + 24), length = (int)XnLayout.ReadWord(log, at + 28);
            cleared = true;
            bool valid = from < _blockCount && to < _blockCount && TemplateOf(fromType) != null && TemplateOf(toType) != null &&
                         offset >= 0 && length >= 0 && length <= XnLayout.MoveChangeMax && offset <= XnLayout.BlockSize - length;
            if (!valid) { report.Add(Error.BadArgument, from, to); continue; }
            bool toNames = NamesOnDisk(to, toType, block, count);
            if (!toNames || !NamesOnDisk(from, fromType, block, count)) continue;
            if (!_disk.ReadNow(from, _scratch, _scratchFrame)) return false;
            Span<byte> bytes = Scratch;
            for (int i = 0; i < length; i++) bytes[offset + i] = log[at + 32 + i];
            if (!_disk.WriteNow(from, _scratch, _scratchFrame)) return false;
            report.MovesRedone++;
        }
        if (!cleared) return true;
        log.Slice(XnLayout.MoveLogOffset).Clear();
        return _disk.WriteNow(XnLayout.SuperBlock, _cache.Page(super), _cache.Frame(super));
    }

    /// <summary>Whether block's copy on disk, read as type, names all of [first, first + count).</summary>
    private bool NamesOnDisk(uint block, uint type, uint first, uint count)
    {
        if (!_disk.ReadNow(block, _scratch, _scratchFrame)) return false;
        int emitted = _runner.Run(_templates[type].Program, Scratch, _records);
        if (emitted > _records.Length) emitted = _records.Length;
        ulong named = 0;
        for (int i = 0; i < emitted; i++)
        {
            ulong a = _records[i].A, end = a + _records[i].X;
            ulong lo = a > first ? a : first, hi = end < (ulong)first + count ? end : (ulong)first + count;
            if (hi > lo) named += hi - lo;
        }
        return named == count;
    }

    private void MountTemplate(uint type, MountReport report)
    {
        uint first = XnLayout.TemplateBlock(type);
        Span<byte> header = Scratch;
        if (!_disk.ReadNow(first, _scratch, _scratchFrame)) { report.Add(Error.BadAddress, first, NoBlock); return; }
        uint length = XnLayout.ReadWord(header, XnLayout.TemplateLengthOffset);
        if (length == 0) return;
        if (XnLayout.ReadWord(header, XnLayout.TemplateTypeOffset) != type || length > XnLayout.MaxTemplateInstructions)
        {
            report.Add(Error.OverBudget, first, NoBlock);
            return;
        }
        var program = new Instruction[length];
        int slot = TakeSlot(first);
        int second = TakeSlot(first + 1);
        Span<byte> a = _cache.Bytes(slot), b = _cache.Bytes(second);
        for (int i = 0; i < XnLayout.BlockSize; i++) a[i] = header[i];
        if (!_disk.ReadNow(first + 1, _cache.Page(second), _cache.Frame(second))) { report.Add(Error.BadAddress, first + 1, NoBlock); return; }
        for (int i = 0; i < (int)length; i++)
        {
            int at = XnLayout.TemplateHeader + i * 8;
            Span<byte> block = at < XnLayout.BlockSize ? a : b;
            int offset = at % XnLayout.BlockSize;
            uint word = XnLayout.ReadWord(block, offset);
            program[i] = new Instruction((ushort)word, (byte)(word >> 16), (byte)(word >> 24), XnLayout.ReadWord(block, offset + 4));
        }
        Error error = CheckTemplate(program, out VerifierResult verdict);
        if (error != 0) { report.Add(error, first, NoBlock); return; }
        _templates[type] = new Template { Type = type, Program = program, MaxEmits = verdict.MaxEmits };
        report.Templates++;
    }

    private void Claim(uint block, uint type, uint parent, int root)
    {
        ref BlockEntry entry = ref _blocks[block];
        entry.State = BlockState.Allocated;
        entry.Type = type;
        entry.Parent = parent;
        entry.Root = root;
        entry.OnDisk = true;
    }

    private void ResetEntry(uint block)
    {
        _blocks[block] = new BlockEntry
        {
            State = BlockState.Free,
            Parent = NoBlock,
            Root = -1,
            Slot = -1,
            WaitBlock = NoBlock,
            FirstWaiter = NoBlock,
            NextWaiter = NoBlock,
        };
    }

    private int TakeSlot(uint block)
    {
        int slot = _cache.Take(block);
        if (block == _ownsBlock || slot == _ownsSlot) _ownsBlock = NoBlock;
        if (slot >= 0) _blocks[block].Slot = slot;
        return slot;
    }

    // ---------------------------------------------------------------- templates and roots

    /// <summary>Registers a metadata type: verifies its owns UDF (ProgramRefused, OverBudget),
    /// checks it claims nothing in an all-zero block (UdfLied), stores it in the next free
    /// template slot (TableFull) and returns the type. Blocks of the type can be allocated once
    /// the slot has reached the disk (NoSuchType before). verdict: the verifier's, when it ran.</summary>
    public Error RegisterTemplate(ReadOnlySpan<Instruction> program, out uint type, out VerifierResult verdict)
    {
        type = 0;
        verdict = default;
        if (!_mounted) return Error.BadArgument;
        if (program.Length > XnLayout.MaxTemplateInstructions) return Error.OverBudget;
        uint free = 0;
        for (uint t = 1; t <= XnLayout.MaxTemplates && free == 0; t++)
            if (_templates[t] == null) free = t;
        if (free == 0) return Error.TableFull;
        var copy = new Instruction[program.Length];
        for (int i = 0; i < program.Length; i++) copy[i] = program[i];
        Error error = CheckTemplate(copy, out verdict);
        if (error != 0) return error;
        uint first = XnLayout.TemplateBlock(free);
        for (uint b = first; b < first + XnLayout.SlotBlocks; b++)
        {
            if (_blocks[b].Slot < 0 && TakeSlot(b) < 0) return Error.TableFull;
            _blocks[b].OnDisk = false;
            _blocks[b].Dirty = true;
        }
        Span<byte> a = _cache.Bytes(_blocks[first].Slot), c = _cache.Bytes(_blocks[first + 1].Slot);
        XnLayout.WriteWord(a, XnLayout.TemplateTypeOffset, free);
        XnLayout.WriteWord(a, XnLayout.TemplateLengthOffset, (uint)copy.Length);
        for (int i = 0; i < copy.Length; i++)
        {
            int at = XnLayout.TemplateHeader + i * 8;
            Span<byte> block = at < XnLayout.BlockSize ? a : c;
            int offset = at % XnLayout.BlockSize;
            XnLayout.WriteWord(block, offset, copy[i].Code | (uint)copy[i].JumpTrue << 16 | (uint)copy[i].JumpFalse << 24);
            XnLayout.WriteWord(block, offset + 4, copy[i].K);
        }
        _templates[free] = new Template { Type = free, Program = copy, MaxEmits = verdict.MaxEmits };
        type = free;
        return 0;
    }

    private Error CheckTemplate(Instruction[] program, out VerifierResult verdict)
    {
        Error error = _runner.Verify(program, out verdict);
        if (error != 0) return error;
        // A UDF that claims blocks in an empty block lies: a fresh block of its type would own
        // blocks nobody allocated to it.
        Statistics.OwnsRuns++;
        int emitted = _runner.Run(program, _zero, _records);
        return emitted == 0 ? 0 : Error.UdfLied;
    }

    /// <summary>The type the next RegisterTemplate gives (the lowest free slot), 0 when none is free.</summary>
    public uint NextTemplate
    {
        get
        {
            for (uint t = 1; t <= XnLayout.MaxTemplates; t++)
                if (_templates[t] == null) return t;
            return 0;
        }
    }

    /// <summary>The type's template, or null.</summary>
    public Template TemplateOf(uint type) => type >= 1 && type <= XnLayout.MaxTemplates ? _templates[type] : null;

    /// <summary>A template exists and both its blocks have reached the disk.</summary>
    public bool IsTemplateDurable(uint type)
    {
        if (TemplateOf(type) == null) return false;
        uint first = XnLayout.TemplateBlock(type);
        return _blocks[first].OnDisk && _blocks[first + 1].OnDisk;
    }

    private bool IsUsableType(uint type) => type == 0 || IsTemplateDurable(type);

    /// <summary>Creates a root named name (1-16 bytes, unique) at free block `block` of `type`,
    /// owned by owner. The catalogue is tainted until the root block reaches the disk.</summary>
    public Error CreateRoot(ulong owner, ReadOnlySpan<byte> name, uint block, uint type, out int index)
    {
        index = -1;
        if (!_mounted || owner == NoOwner) return Error.BadArgument;
        if (name.Length < 1 || name.Length > XnLayout.RootNameLength) return Error.BadLength;
        if (FindRoot(name) >= 0) return Error.BadArgument;
        Error error = CheckFree(block, 1);
        if (error != 0) return error;
        if (!IsUsableType(type)) return Error.NoSuchType;
        for (int i = 0; i < _roots.Length && index < 0; i++)
            if (!_roots[i].InUse) index = i;
        if (index < 0) return Error.TableFull;
        if (_cache.FreeSlots < 1) { index = -1; return Error.TableFull; }
        Span<byte> catalogue = CatalogueBuffer();
        int at = index * XnLayout.RootEntrySize;
        for (int i = 0; i < XnLayout.RootNameLength; i++) catalogue[at + i] = i < name.Length ? name[i] : (byte)0;
        XnLayout.WriteWord(catalogue, at + XnLayout.RootBlockOffset, block);
        XnLayout.WriteWord(catalogue, at + XnLayout.RootTypeOffset, type);
        XnLayout.WriteLong(catalogue, at + XnLayout.RootOwnerOffset, owner);
        _roots[index] = new RootEntry { InUse = true, Block = block, Type = type, Owner = owner };
        AllocateBlock(block, type, XnLayout.CatalogueBlock, index);
        ref BlockEntry cat = ref _blocks[XnLayout.CatalogueBlock];
        cat.Taint++;
        cat.Children++;
        cat.Dirty = true;
        return 0;
    }

    /// <summary>Removes a root whose block owns nothing (BlockInUse otherwise); only its owner may.</summary>
    public Error DeleteRoot(ulong owner, int index)
    {
        if (index < 0 || index >= _roots.Length || !_roots[index].InUse) return Error.BadArgument;
        if (_roots[index].Owner != owner) return Error.NotOwner;
        uint block = _roots[index].Block;
        if (_blocks[block].Children != 0) return Error.BlockInUse;
        Span<byte> catalogue = CatalogueBuffer();
        int at = index * XnLayout.RootEntrySize;
        for (int i = 0; i < XnLayout.RootEntrySize; i++) catalogue[at + i] = 0;
        _roots[index] = default;
        FreeBlock(XnLayout.CatalogueBlock, block);
        _blocks[XnLayout.CatalogueBlock].Dirty = true;
        return 0;
    }

    /// <summary>The catalogue index of the root with that name, or -1.</summary>
    public int FindRoot(ReadOnlySpan<byte> name)
    {
        if (!_mounted || name.Length < 1 || name.Length > XnLayout.RootNameLength) return -1;
        Span<byte> catalogue = CatalogueBuffer();
        for (int i = 0; i < _roots.Length; i++)
        {
            if (!_roots[i].InUse) continue;
            int at = i * XnLayout.RootEntrySize;
            bool same = true;
            for (int k = 0; k < XnLayout.RootNameLength && same; k++)
                same = catalogue[at + k] == (k < name.Length ? name[k] : (byte)0);
            if (same) return i;
        }
        return -1;
    }

    /// <summary>Precondition: 0 &lt;= index &lt; XnLayout.MaxRoots.</summary>
    public RootEntry Root(int index) => _roots[index];

    private Span<byte> CatalogueBuffer() => _cache.Bytes(_blocks[XnLayout.CatalogueBlock].Slot);

    private Span<byte> Scratch => new Span<byte>(_scratch, XnLayout.BlockSize);

    // ---------------------------------------------------------------- queries

    /// <summary>A copy of the block's registry entry. Precondition: block &lt; BlockCount.</summary>
    public BlockEntry Entry(uint block) => _blocks[block];

    /// <summary>The page holding the block in core (BlockSize bytes, page-aligned) and its frame
    /// number, for the kernel to map read-only into the block's owner (it checks OwnerOf first);
    /// false when the block is not in core. The page may still be filling: see IsReadable. It
    /// stays the block's until the block leaves core (Evict, Free, a failed read).</summary>
    public bool CachedPage(uint block, out byte* page, out ulong frame)
    {
        page = null;
        frame = 0;
        if (block >= _blockCount || _blocks[block].Slot < 0) return false;
        int slot = _blocks[block].Slot;
        page = _cache.Page(slot);
        frame = _cache.Frame(slot);
        return true;
    }

    /// <summary>The block is in core and no read into it is under way: its page holds the block.</summary>
    public bool IsReadable(uint block) =>
        block < _blockCount && _blocks[block].Slot >= 0 && !_cache.IsReading(_blocks[block].Slot);

    /// <summary>The derived free map: the block can be allocated now.</summary>
    public bool IsFree(uint block) => block < _blockCount && _blocks[block].State == BlockState.Free;

    public int CountFree()
    {
        int n = 0;
        for (uint b = XnLayout.FirstAllocatable; b < _blockCount; b++)
            if (_blocks[b].State == BlockState.Free) n++;
        return n;
    }

    /// <summary>The owner key of the root the block belongs to; NoOwner when none.</summary>
    public ulong OwnerOf(uint block)
    {
        if (block >= _blockCount) return NoOwner;
        int root = _blocks[block].Root;
        return _blocks[block].State == BlockState.Allocated && root >= 0 ? _roots[root].Owner : NoOwner;
    }

    // ---------------------------------------------------------------- checked operations

    /// <summary>Allocates the free blocks [block, block + count) of `type` as children of parent:
    /// applies `change` at `offset` in the parent's in-core copy and requires owns(new) =
    /// owns(old) + {(block, count, type)}. The new blocks are all zeros in core; the parent is
    /// tainted until they reach the disk. Preconditions: caller owns parent's root; parent in core.</summary>
    public Error Alloc(ulong caller, uint parent, int offset, ReadOnlySpan<byte> change, uint block, uint count, uint type)
    {
        Error error = CheckMetadata(caller, parent, offset, change.Length);
        if (error != 0) return error;
        error = CheckFree(block, count);
        if (error != 0) return error;
        if (!IsUsableType(type)) return Error.NoSuchType;
        if (_cache.FreeSlots < count) return Error.TableFull;
        error = Induce(parent, offset, change);
        if (error != 0) return error;
        if (_removedCount != 0) error = Error.LostPointer;
        for (int i = 0; i < _addedCount && error == 0; i++)
            if (_added[i].Type != type || _added[i].Block < block || _added[i].End > (ulong)block + count) error = Error.ForgedPointer;
        if (error == 0 && ExtentMath.Blocks(_added, _addedCount) != count) error = Error.LostPointer;
        if (error != 0) { Restore(parent, offset, change.Length); return error; }
        ref BlockEntry p = ref _blocks[parent];
        int root = p.Root;
        for (uint b = block; b < block + count; b++) AllocateBlock(b, type, parent, root);
        p.Taint += (int)count;
        p.Children += (int)count;
        p.Dirty = true;
        return 0;
    }

    /// <summary>Frees [block, block + count), children of parent: applies `change` and requires
    /// owns(old) - owns(new) = those blocks, nothing added. The blocks can be allocated again
    /// once a write of the parent without the pointers has completed. A metadata block must
    /// own nothing (BlockInUse). Preconditions as Alloc.</summary>
    public Error Free(ulong caller, uint parent, int offset, ReadOnlySpan<byte> change, uint block, uint count)
    {
        Error error = CheckMetadata(caller, parent, offset, change.Length);
        if (error != 0) return error;
        if (count == 0 || block < XnLayout.FirstAllocatable || (ulong)block + count > _blockCount) return Error.NoSuchBlock;
        for (uint b = block; b < block + count; b++)
        {
            Statistics.BlocksChecked++;
            if (_blocks[b].State != BlockState.Allocated || _blocks[b].Parent != parent) return Error.NotOwner;
            if (_blocks[b].Children != 0 || _blocks[b].Moving || InMove(b)) return Error.BlockInUse;
        }
        error = Induce(parent, offset, change);
        if (error != 0) return error;
        if (_addedCount != 0) error = Error.ForgedPointer;
        for (int i = 0; i < _removedCount && error == 0; i++)
            if (_removed[i].Block < block || _removed[i].End > (ulong)block + count) error = Error.LostPointer;
        if (error == 0 && ExtentMath.Blocks(_removed, _removedCount) != count) error = Error.ForgedPointer;
        if (error != 0) { Restore(parent, offset, change.Length); return error; }
        for (uint b = block; b < block + count; b++) FreeBlock(parent, b);
        _blocks[parent].Dirty = true;
        return 0;
    }

    /// <summary>Moves blocks from `from` to `to` (another metadata block of the same root): applies
    /// fromChange to `from` and toChange to `to`; the blocks `from`'s owns stops naming must be
    /// exactly the blocks `to`'s starts naming, with their types (at most MaxMoveExtents extents),
    /// and nothing else may change: both changes or neither. Exactly one parent names them on disk
    /// at every crash point: when `from` is on disk the move is logged in the superblock (with
    /// fromChange, at most MoveChangeMax bytes) before `to` may be written, `from` waits for `to`,
    /// and mount redoes `from`'s change when `to` got there first. A block may be in one move at
    /// a time, and `to` may not lie under a moved block.</summary>
    public Error Move(ulong caller, uint from, int fromOffset, ReadOnlySpan<byte> fromChange, uint to, int toOffset, ReadOnlySpan<byte> toChange)
    {
        Error error = CheckMetadata(caller, from, fromOffset, fromChange.Length);
        if (error == 0) error = CheckMetadata(caller, to, toOffset, toChange.Length);
        if (error != 0) return error;
        if (from == to || _blocks[from].Root != _blocks[to].Root) return Error.BadArgument;
        if (fromChange.Length > XnLayout.MoveChangeMax) return Error.BadLength;
        bool logged = _blocks[from].OnDisk;
        int record = -1;
        if (logged)
        {
            for (int m = 0; m < _moves.Length && record < 0; m++) if (_moves[m].Phase == 0) record = m;
            if (record < 0) return Error.TableFull;
            // `from` will wait for `to`: refused when `to` already waits (through other moves) for
            // `from`, which would leave both waiting for ever. The caller syncs and tries again.
            if (Waits(to, from)) return Error.BlockInUse;
        }

        _ownsBlock = NoBlock;                           // Move restores bytes by hand: nothing kept
        error = Induce(from, fromOffset, fromChange, out _, false);
        if (error != 0) return error;
        if (_addedCount != 0) error = Error.ForgedPointer;
        else if (_removedCount == 0) error = Error.BadArgument;          // nothing moves: a plain write
        else if (_removedCount > MaxMoveExtents) error = Error.OverBudget;
        for (int i = 0; i < _removedCount && error == 0; i++)
            for (uint b = _removed[i].Block; b < _removed[i].End && error == 0; b++)
            {
                Statistics.BlocksChecked++;
                if (_blocks[b].Moving) error = Error.BlockInUse;
                for (uint up = to; up != NoBlock && up != XnLayout.CatalogueBlock && error == 0; up = _blocks[up].Parent)
                    if (up == b) error = Error.BadArgument;           // into its own subtree
            }
        if (error != 0) { Restore(from, fromOffset, fromChange.Length); return error; }
        int moved = _removedCount;
        for (int i = 0; i < moved; i++) _moved[i] = _removed[i];
        for (int i = 0; i < fromChange.Length; i++) _savedFrom[i] = _saved[i];

        error = Induce(to, toOffset, toChange, out _, false);
        if (error == 0)
        {
            if (_removedCount != 0) error = Error.LostPointer;
            else if (_addedCount != moved) error = _addedCount < moved ? Error.LostPointer : Error.ForgedPointer;
            for (int i = 0; i < moved && error == 0; i++)
                if (_added[i].Block != _moved[i].Block || _added[i].Count != _moved[i].Count || _added[i].Type != _moved[i].Type) error = Error.ForgedPointer;
            if (error != 0) Restore(to, toOffset, toChange.Length);
        }
        if (error != 0)
        {
            Span<byte> buffer = _cache.Bytes(_blocks[from].Slot);
            for (int i = 0; i < fromChange.Length; i++) buffer[fromOffset + i] = _savedFrom[i];
            return error;
        }

        int unwritten = 0, count = 0;
        for (int i = 0; i < moved; i++)
            for (uint b = _moved[i].Block; b < _moved[i].End; b++)
            {
                _blocks[b].Parent = to;
                _blocks[b].Moving = logged;
                if (!_blocks[b].OnDisk) unwritten++;
                count++;
            }
        ref BlockEntry f = ref _blocks[from];
        ref BlockEntry t = ref _blocks[to];
        f.Children -= count;
        t.Children += count;
        f.Taint -= unwritten;
        t.Taint += unwritten;
        f.Dirty = true;
        t.Dirty = true;
        if (!logged) return 0;      // `from` never reached the disk: nothing there names the blocks

        Span<byte> log = _cache.Bytes(_blocks[XnLayout.SuperBlock].Slot);
        int at = XnLayout.MoveLogOffset + record * XnLayout.MoveRecordSize;
        XnLayout.WriteWord(log, at, _moved[0].Block);          // a witness: each parent's copy names all or none
        XnLayout.WriteWord(log, at + 4, 1);
        XnLayout.WriteWord(log, at + 8, from);
        XnLayout.WriteWord(log, at + 12, to);
        XnLayout.WriteWord(log, at + 16, f.Type);
        XnLayout.WriteWord(log, at + 20, t.Type);
        XnLayout.WriteWord(log, at + 24, (uint)fromOffset);
        XnLayout.WriteWord(log, at + 28, (uint)fromChange.Length);
        for (int i = 0; i < fromChange.Length; i++) log[at + 32 + i] = fromChange[i];
        _blocks[XnLayout.SuperBlock].Dirty = true;
        var state = new MoveState { Phase = 1, Record = record, From = from, To = to, Seq = _blocks[XnLayout.SuperBlock].Snapshots, Extents = new Extent[moved], ExtentCount = moved };
        for (int i = 0; i < moved; i++) state.Extents[i] = _moved[i];
        _moves[record] = state;
        _movesActive++;
        t.Taint++;
        f.Taint++;
        return 0;
    }

    /// <summary>Whether block waits, through moves in phase 1 or 2 (a `from` waits for its `to`),
    /// for target. Every edge is followed: a block can be the `from` of several moves.</summary>
    private bool Waits(uint block, uint target)
    {
        Span<int> seen = stackalloc int[XnLayout.MaxMoves];
        Span<uint> stack = stackalloc uint[XnLayout.MaxMoves + 1];
        seen.Clear();
        int top = 0;
        stack[top++] = block;
        while (top > 0)
        {
            uint w = stack[--top];
            for (int m = 0; m < _moves.Length; m++)
            {
                if (seen[m] != 0 || (_moves[m].Phase != 1 && _moves[m].Phase != 2) || _moves[m].From != w) continue;
                if (_moves[m].To == target) return true;
                seen[m] = 1;
                stack[top++] = _moves[m].To;
            }
        }
        return false;
    }

    /// <summary>A write of block completed: the moves waiting for it go on (see MoveState).</summary>
    private void AdvanceMoves(uint block)
    {
        uint durable = _blocks[block].Durable;
        for (int m = 0; m < _moves.Length; m++)
        {
            ref MoveState move = ref _moves[m];
            if (move.Phase == 1 && block == XnLayout.SuperBlock && move.Seq < durable)
            {
                move.Phase = 2;
                _blocks[move.To].Taint--;
                move.Seq = _blocks[move.To].Snapshots;
            }
            else if (move.Phase == 2 && block == move.To && move.Seq < durable)
            {
                move.Phase = 3;
                _blocks[move.From].Taint--;
                move.Seq = _blocks[move.From].Snapshots;
            }
            else if (move.Phase == 3 && block == move.From && move.Seq < durable)
            {
                move.Phase = 0;
                _movesActive--;
                for (int i = 0; i < move.ExtentCount; i++)
                    for (uint b = move.Extents[i].Block; b < move.Extents[i].End; b++) _blocks[b].Moving = false;
                Span<byte> log = _cache.Bytes(_blocks[XnLayout.SuperBlock].Slot);
                log.Slice(XnLayout.MoveLogOffset + move.Record * XnLayout.MoveRecordSize, XnLayout.MoveRecordSize).Clear();
                _blocks[XnLayout.SuperBlock].Dirty = true;
            }
        }
    }

    /// <summary>How much of the block's Taint is moves' (`to` until the log is written, `from` until
    /// `to` is): for checks of the registry.</summary>
    public int MoveHolds(uint block)
    {
        int n = 0;
        for (int m = 0; m < _moves.Length; m++)
        {
            if (_moves[m].Phase == 1 && _moves[m].To == block) n++;
            if ((_moves[m].Phase == 1 || _moves[m].Phase == 2) && _moves[m].From == block) n++;
        }
        return n;
    }

    /// <summary>A block is the parent on either side of a move in flight (it may not be freed).</summary>
    private bool InMove(uint block)
    {
        if (_movesActive == 0) return false;
        for (int m = 0; m < _moves.Length; m++)
            if (_moves[m].Phase != 0 && (_moves[m].From == block || _moves[m].To == block)) return true;
        return false;
    }

    /// <summary>Changes a metadata block's bytes without changing what it points to:
    /// owns(new) = owns(old), except that pointers to blocks that are not its children (mount
    /// refused them) may be dropped, and a block mount found damaged may be repaired.
    /// Preconditions as Alloc.</summary>
    public Error WriteMetadata(ulong caller, uint block, int offset, ReadOnlySpan<byte> change)
    {
        Error error = CheckMetadata(caller, block, offset, change.Length);
        if (error != 0) return error;
        error = Induce(block, offset, change, out bool damaged, true);
        if (damaged) return Repair(block, offset, change);
        if (error != 0) return error;
        if (_addedCount != 0) error = Error.ForgedPointer;
        // Dropping a pointer is a loss only when it names one of this block's children; a pointer
        // mount refused (to another parent's block) may be dropped.
        for (int i = 0; i < _removedCount && error == 0; i++)
            for (uint b = _removed[i].Block; b < _removed[i].End && error == 0; b++)
            {
                Statistics.BlocksChecked++;
                if (_blocks[b].State == BlockState.Allocated && _blocks[b].Parent == block) error = Error.LostPointer;
            }
        if (error != 0) { Restore(block, offset, change.Length); return error; }
        _blocks[block].Dirty = true;
        return 0;
    }

    /// <summary>A block mount found damaged (owns() fails over it) is repaired by a write after
    /// which owns() names exactly the children the registry gives it. Costs the block's own children.</summary>
    private Error Repair(uint block, int offset, ReadOnlySpan<byte> change)
    {
        _ownsBlock = NoBlock;
        Span<byte> buffer = _cache.Bytes(_blocks[block].Slot);
        for (int i = 0; i < change.Length; i++)
        {
            _saved[i] = buffer[offset + i];
            buffer[offset + i] = change[i];
        }
        Error error = Owns(block, buffer, _after, out _afterCount, true);
        long named = 0;
        for (int i = 0; i < _afterCount && error == 0; i++)
            for (uint b = _after[i].Block; b < _after[i].End && error == 0; b++)
            {
                Statistics.BlocksChecked++;
                ref BlockEntry child = ref _blocks[b];
                if (child.State != BlockState.Allocated || child.Parent != block || child.Type != _after[i].Type) error = Error.ForgedPointer;
                named++;
            }
        if (error == 0 && named != _blocks[block].Children) error = Error.LostPointer;
        if (error != 0) { Restore(block, offset, change.Length); return error; }
        _blocks[block].Dirty = true;
        return 0;
    }

    /// <summary>Writes bytes into a data block (type 0) of the caller's, in core. A whole block
    /// may be written without fetching it first.</summary>
    public Error WriteData(ulong caller, uint block, int offset, ReadOnlySpan<byte> bytes)
    {
        Error error = CheckOwned(caller, block, offset, bytes.Length);
        if (error != 0) return error;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.Type != 0) return Error.BadArgument;
        if (entry.Slot < 0)
        {
            if (offset != 0 || bytes.Length != XnLayout.BlockSize) return Error.NotInCore;
            if (TakeSlot(block) < 0) return Error.TableFull;
        }
        if (_cache.IsReading(entry.Slot)) return Error.NotInCore;
        Span<byte> buffer = _cache.Bytes(entry.Slot);
        fixed (byte* to = buffer) fixed (byte* from = bytes) Buffer.MemoryCopy(from, to + offset, bytes.Length, bytes.Length);
        entry.Dirty = true;
        return 0;
    }

    /// <summary>Copies bytes of a block of the caller's from core.</summary>
    public Error Read(ulong caller, uint block, int offset, Span<byte> into)
    {
        Error error = CheckOwned(caller, block, offset, into.Length);
        if (error != 0) return error;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.Slot < 0) return entry.OnDisk ? Error.NotInCore : Error.Uninitialised;
        if (_cache.IsReading(entry.Slot)) return Error.NotInCore;
        Span<byte> buffer = _cache.Bytes(entry.Slot);
        fixed (byte* from = buffer) fixed (byte* to = into) Buffer.MemoryCopy(from + offset, to, into.Length, into.Length);
        return 0;
    }

    /// <summary>Starts reading a block of the caller's into core (0 when already there). A block
    /// that holds nothing of the caller's on disk (free, freed, never written) is refused
    /// (Uninitialised): no reading a previous owner's data.</summary>
    public Error Fetch(ulong caller, uint block)
    {
        if (!_mounted) return Error.BadArgument;
        if (block < XnLayout.FirstAllocatable || block >= _blockCount) return Error.NoSuchBlock;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.State != BlockState.Allocated) return Error.Uninitialised;
        if (_roots[entry.Root].Owner != caller) return Error.NotOwner;
        if (entry.Slot >= 0) return 0;
        if (!entry.OnDisk) return Error.Uninitialised;
        int request = FreeRequest();
        if (request < 0 || _cache.FreeSlots == 0) return Error.TableFull;
        int slot = TakeSlot(block);
        _cache.SetReading(slot, true);
        _requestBusy[request] = true;
        _requestWrite[request] = false;
        _requestBlock[request] = block;
        _requestSlot[request] = slot;
        var read = new DiskRequest { Tag = request, Block = block, IsWrite = false, Buffer = _cache.Page(slot), Frame = _cache.Frame(slot) };
        if (!_disk.Submit(read))
        {
            _requestBusy[request] = false;
            _cache.Release(slot);
            entry.Slot = -1;
            return Error.TableFull;
        }
        Statistics.Reads++;
        return 0;
    }

    /// <summary>Drops a clean block from core (the library OS's caching policy); not while a
    /// transfer of it is under way (NotInCore) or when dirty (BlockInUse).</summary>
    public Error Evict(uint block)
    {
        if (block < XnLayout.FirstAllocatable || block >= _blockCount) return Error.NoSuchBlock;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.Slot < 0 || _cache.IsReading(entry.Slot) || entry.Writing) return Error.NotInCore;
        if (entry.Dirty) return Error.BlockInUse;
        _cache.Release(entry.Slot);
        entry.Slot = -1;
        return 0;
    }

    // ---------------------------------------------------------------- writeback

    /// <summary>Fills ready with the blocks that may be written now (in core, dirty, untainted,
    /// no write in flight), in ascending block order; returns how many (at most ready.Length).</summary>
    public int Writeback(Span<uint> ready)
    {
        int n = 0;
        for (int slot = 0; slot < _cache.Capacity && n < ready.Length; slot++)
        {
            uint block = _cache.BlockOf(slot);
            if (block == NoBlock || _cache.IsReading(slot) || block >= _blockCount) continue;
            ref BlockEntry entry = ref _blocks[block];
            if (entry.Slot != slot || !entry.Dirty || entry.Writing || entry.Taint != 0) continue;
            int i = n++;
            while (i > 0 && ready[i - 1] > block) { ready[i] = ready[i - 1]; i--; }
            ready[i] = block;
        }
        return n;
    }

    /// <summary>Submits a write of the block's in-core copy (a snapshot: the copy may change
    /// meanwhile). 0 when it is clean; Tainted, NotInCore (not in core, or a transfer under way),
    /// TableFull (the queue).</summary>
    public Error StartWrite(uint block)
    {
        if (!_mounted || block >= _blockCount) return Error.NoSuchBlock;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.Slot < 0 || _cache.IsReading(entry.Slot) || entry.Writing) return Error.NotInCore;
        if (!entry.Dirty) return 0;
        if (entry.Taint != 0) return Error.Tainted;
        int request = FreeRequest();
        if (request < 0) return Error.TableFull;
        Buffer.MemoryCopy(_cache.Page(entry.Slot), _staging[request], XnLayout.BlockSize, XnLayout.BlockSize);
        _requestBusy[request] = true;
        _requestWrite[request] = true;
        _requestBlock[request] = block;
        _requestSeq[request] = entry.Snapshots;
        var write = new DiskRequest { Tag = request, Block = block, IsWrite = true, Buffer = _staging[request], Frame = _stagingFrame[request] };
        if (!_disk.Submit(write))
        {
            _requestBusy[request] = false;
            return Error.TableFull;
        }
        entry.Snapshots++;
        entry.Writing = true;
        entry.Dirty = false;
        Statistics.Writes++;
        return 0;
    }

    /// <summary>The device finished request `tag` (IDiskCompletion). Called from the driver's
    /// interrupt in the kernel.</summary>
    public void Completed(int tag, bool ok)
    {
        if (tag < 0 || tag >= QueueDepth || !_requestBusy[tag]) return;
        _requestBusy[tag] = false;
        uint block = _requestBlock[tag];
        ref BlockEntry entry = ref _blocks[block];
        if (!_requestWrite[tag])
        {
            int slot = _requestSlot[tag];
            _cache.SetReading(slot, false);
            if (entry.Slot != slot || !ok)
            {
                if (entry.Slot == slot) entry.Slot = -1;
                _cache.Release(slot);
            }
            return;
        }
        entry.Writing = false;
        if (!ok)
        {
            if (entry.State == BlockState.Allocated || entry.State == BlockState.Reserved) entry.Dirty = true;
        }
        else
        {
            entry.Durable = _requestSeq[tag] + 1;
            if ((entry.State == BlockState.Allocated || entry.State == BlockState.Reserved) && !entry.OnDisk)
            {
                entry.OnDisk = true;
                if (entry.State == BlockState.Allocated && entry.Parent != NoBlock) _blocks[entry.Parent].Taint--;
            }
            ReleaseWaiters(block);
            if (_movesActive > 0) AdvanceMoves(block);
        }
        if (entry.State == BlockState.FreePending && entry.WaitBlock == NoBlock) Release(block);
    }

    /// <summary>Requests in flight.</summary>
    public int InFlight()
    {
        int n = 0;
        for (int i = 0; i < QueueDepth; i++) if (_requestBusy[i]) n++;
        return n;
    }

    // ---------------------------------------------------------------- the induction

    private Error CheckOwned(ulong caller, uint block, int offset, int length)
    {
        if (!_mounted) return Error.BadArgument;
        if (block < XnLayout.FirstAllocatable || block >= _blockCount) return Error.NoSuchBlock;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.State != BlockState.Allocated || _roots[entry.Root].Owner != caller) return Error.NotOwner;
        if (offset < 0 || length < 0 || offset > XnLayout.BlockSize - length) return Error.BadLength;
        return 0;
    }

    private Error CheckMetadata(ulong caller, uint block, int offset, int length)
    {
        Error error = CheckOwned(caller, block, offset, length);
        if (error != 0) return error;
        ref BlockEntry entry = ref _blocks[block];
        if (entry.Type == 0) return Error.NoSuchType;
        if (entry.Slot < 0 || _cache.IsReading(entry.Slot)) return Error.NotInCore;
        return 0;
    }

    private Error CheckFree(uint block, uint count)
    {
        if (count == 0 || block < XnLayout.FirstAllocatable || (ulong)block + count > _blockCount) return Error.NoSuchBlock;
        for (uint b = block; b < block + count; b++)
        {
            Statistics.BlocksChecked++;
            if (_blocks[b].State == BlockState.FreePending) return Error.FreePending;
            if (_blocks[b].State != BlockState.Free) return Error.BlockInUse;
        }
        return 0;
    }

    /// <summary>S0 = owns(old); saves and applies the change; S1 = owns(new); fills _added (S1 - S0)
    /// and _removed (S0 - S1). On an error the bytes are already restored.</summary>
    private Error Induce(uint block, int offset, ReadOnlySpan<byte> change) => Induce(block, offset, change, out _, true);

    /// <summary>As Induce; damaged: the old contents already made owns() fail (nothing applied).
    /// keep: S0 may be the kept result of the block's last change, and S1 is kept for its next
    /// (saves one owns() run and sort a change when a library changes one block repeatedly).</summary>
    private Error Induce(uint block, int offset, ReadOnlySpan<byte> change, out bool damaged, bool keep)
    {
        int slot = _blocks[block].Slot;
        Span<byte> buffer = _cache.Bytes(slot);
        Error error = 0;
        if (keep && _ownsBlock == block && _ownsSlot == slot)
        {
            for (int i = 0; i < _ownsKeptCount; i++) _before[i] = _ownsKept[i];
            _beforeCount = _ownsKeptCount;
        }
        else error = Owns(block, buffer, _before, out _beforeCount, false);
        _ownsBlock = NoBlock;
        damaged = error != 0;
        if (error != 0) return error;
        fixed (byte* saved = _saved) fixed (byte* bytes = change)
        {
            byte* at = _cache.Page(slot) + offset;         // precondition: offset + change.Length <= BlockSize
            Buffer.MemoryCopy(at, saved, change.Length, change.Length);
            Buffer.MemoryCopy(bytes, at, change.Length, change.Length);
        }
        error = Owns(block, buffer, _after, out _afterCount, true);
        if (error != 0) { Restore(block, offset, change.Length); return error; }
        _addedCount = ExtentMath.Subtract(_after, _afterCount, _before, _beforeCount, _added);
        _removedCount = ExtentMath.Subtract(_before, _beforeCount, _after, _afterCount, _removed);
        if (keep)
        {
            for (int i = 0; i < _afterCount; i++) _ownsKept[i] = _after[i];
            _ownsKeptCount = _afterCount;
            _ownsBlock = block;
            _ownsSlot = slot;
        }
        return 0;
    }

    private void Restore(uint block, int offset, int length)
    {
        _ownsBlock = NoBlock;
        fixed (byte* saved = _saved) Buffer.MemoryCopy(saved, _cache.Page(_blocks[block].Slot) + offset, length, length);
    }

    /// <summary>Runs the block's owns() and turns its records into sorted, disjoint, coalesced
    /// extents. strict: every type named must be usable now (its template on disk).</summary>
    private Error Owns(uint block, ReadOnlySpan<byte> bytes, Extent[] extents, out int count, bool strict)
    {
        count = 0;
        Template template = TemplateOf(_blocks[block].Type);
        if (template == null) return Error.NoSuchType;
        Statistics.OwnsRuns++;
        int emitted = _runner.Run(template.Program, bytes, _records);
        Statistics.Records += emitted;
        if (emitted > _records.Length) return Error.OverBudget;
        for (int i = 0; i < emitted; i++)
        {
            EmitRecord record = _records[i];
            if (record.X == 0) return Error.UdfLied;
            if (record.A < XnLayout.FirstAllocatable || (ulong)record.A + record.X > _blockCount) return Error.NoSuchBlock;
            if (record.K != 0 && (strict ? !IsTemplateDurable(record.K) : TemplateOf(record.K) == null)) return Error.NoSuchType;
            extents[i] = new Extent(record.A, record.X, record.K);
        }
        ExtentMath.Sort(extents, emitted);
        if (ExtentMath.HasOverlap(extents, emitted)) return Error.BlockInUse;
        count = ExtentMath.Coalesce(extents, emitted);
        return 0;
    }

    // ---------------------------------------------------------------- registry changes

    private void AllocateBlock(uint block, uint type, uint parent, int root)
    {
        ResetEntry(block);
        ref BlockEntry entry = ref _blocks[block];
        entry.State = BlockState.Allocated;
        entry.Type = type;
        entry.Parent = parent;
        entry.Root = root;
        entry.Dirty = true;
        TakeSlot(block);
    }

    /// <summary>block leaves parent: it becomes FreePending until no parent on disk can name it.</summary>
    private void FreeBlock(uint parent, uint block)
    {
        ref BlockEntry p = ref _blocks[parent];
        ref BlockEntry entry = ref _blocks[block];
        p.Children--;
        if (entry.Slot >= 0)
        {
            if (!_cache.IsReading(entry.Slot)) _cache.Release(entry.Slot);
            entry.Slot = -1;
        }
        entry.State = BlockState.FreePending;
        entry.Dirty = false;
        if (!entry.OnDisk)
        {
            // The parent was tainted since the allocation, so no copy of it naming the block was
            // ever written: nothing on disk can point here.
            p.Taint--;
            entry.WaitBlock = NoBlock;
        }
        else
        {
            entry.WaitBlock = parent;
            entry.WaitSeq = p.Snapshots;
            entry.NextWaiter = p.FirstWaiter;
            p.FirstWaiter = block;
        }
        if (entry.WaitBlock == NoBlock && !entry.Writing) Release(block);
    }

    /// <summary>A write of block completed: the FreePending blocks whose pointer removal it carried
    /// are released.</summary>
    private void ReleaseWaiters(uint block)
    {
        ref BlockEntry entry = ref _blocks[block];
        uint previous = NoBlock, waiter = entry.FirstWaiter;
        while (waiter != NoBlock)
        {
            ref BlockEntry w = ref _blocks[waiter];
            uint next = w.NextWaiter;
            if (w.WaitSeq < entry.Durable)
            {
                if (previous == NoBlock) entry.FirstWaiter = next; else _blocks[previous].NextWaiter = next;
                w.WaitBlock = NoBlock;
                w.NextWaiter = NoBlock;
                if (!w.Writing) Release(waiter);
            }
            else previous = waiter;
            waiter = next;
        }
    }

    /// <summary>The block becomes Free; so do the blocks still waiting for its writes (it is
    /// unreachable on disk now, and so are they).</summary>
    private void Release(uint block)
    {
        int top = 0;
        _releaseStack[top++] = block;
        while (top > 0)
        {
            uint b = _releaseStack[--top];
            uint waiter = _blocks[b].FirstWaiter;
            ResetEntry(b);
            _releaseLog[BlocksReleased % ReleaseLog] = b;
            BlocksReleased++;
            while (waiter != NoBlock)
            {
                ref BlockEntry w = ref _blocks[waiter];
                uint next = w.NextWaiter;
                w.WaitBlock = NoBlock;
                w.NextWaiter = NoBlock;
                if (!w.Writing) _releaseStack[top++] = waiter;
                waiter = next;
            }
        }
    }

    private int FreeRequest()
    {
        for (int i = 0; i < QueueDepth; i++) if (!_requestBusy[i]) return i;
        return -1;
    }
}
