// XN's kernel side (docs/xn.md; it drives XN's core, the plain C# of src/Xn): the virtio-blk disk mounted at boot (formatted when blank), XN's
// system calls, the buffer-cache registry window, environments waiting on the disk, and cached
// blocks mapped read-only into their owners (taken back the moment a page stops caching that
// block). A root's 64-bit key (kept in XN's catalogue) only opens it: XnRootCreate and XnRootOpen
// give an XnRoot capability (Object: root block << 32 | catalogue index; Write: may change), and
// every call on blocks names one and acts only on blocks under its root.
// Writes go out in XN's order from XnSync, every WritebackTicks, and after write completions
// (once three quarters of the queue are free). The registry window is rewritten row by row as calls and
// completions name blocks; in full only when a block left the cache.
// Interrupts off; XnVolume is never re-entered. Missing: more than one disk.
using System;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.Devices;
using ExoSharp.Kernel.Executive;
using ExoSharp.Kernel.X64;
using ExoSharp.Xn;
using Console = ExoSharp.Kernel.Core.Console;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Xn;

internal static unsafe class XnService
{
    public const int CacheBlocks = 2048;
    public const ulong WritebackTicks = 50;
    public const uint WaitFetch = 1, WaitSync = 2, WaitRun = 3;
    public const int MaxMappings = 1024;

    private static readonly uint[] s_mappedBlock = new uint[MaxMappings];
    private static readonly ulong[] s_mappedFrame = new ulong[MaxMappings];
    private static int s_mappedCount;

    private static VirtioDisk s_disk;
    private static CompilingOwnsRunner s_runner;
    private static XnVolume s_volume;
    private static BlockRecord* s_registry;
    private static byte* s_change;      // one block: a change's bytes, a read, a root's name
    private static uint[] s_ready;
    private static ulong s_reachable, s_problems, s_nextWriteback;
    private static int s_unclean;       // blocks dirty or being written (from the last publish)
    private static readonly int[] s_uncleanByRoot = new int[XnLayout.MaxRoots + 1];   // [MaxRoots]: XN's own blocks
    private static uint[] s_slotBlock;  // the block each cache slot held at the last publish
    private static ulong s_releasesSeen; // XnVolume.CacheReleases at the last full publish
    private static ulong s_releasedSeen; // XnVolume.BlocksReleased at the last PublishReleased

    /// <summary>Each environment's disk wait (by table index: WaitFetch, WaitSync, 0) and the block fetched (WaitSync: the root, or all ones).</summary>
    private static readonly uint[] s_waitKind = new uint[Capability.MaxEnvironments];
    private static readonly uint[] s_waitBlock = new uint[Capability.MaxEnvironments];
    private static readonly uint[] s_waitCount = new uint[Capability.MaxEnvironments];   // WaitRun: the run's length
    private static readonly DiskWait s_diskWait = new DiskWait();
    /// <summary>The table indexes of environments that blocked on the disk (s_listed: in the list),
    /// so a completion looks at those rather than at every environment.</summary>
    private static readonly int[] s_waiting = new int[Capability.MaxEnvironments];
    private static readonly bool[] s_listed = new bool[Capability.MaxEnvironments];
    private static int s_waitingCount;

    /// <summary>Boot time, after the disk driver: plugs XN's system calls, release and write-behind
    /// into Core, then mounts XN's volume (formatting a blank disk) if there is a disk.</summary>
    public static void Initialize()
    {
        Subsystems.Register(&Forget, null, &Tick);
        Subsystems.RegisterCall(Syscall.XnTemplate, &Call);
        Subsystems.RegisterCall(Syscall.XnRootCreate, &Call);
        Subsystems.RegisterCall(Syscall.XnRootOpen, &Call);
        Subsystems.RegisterCall(Syscall.XnAlloc, &Call);
        Subsystems.RegisterCall(Syscall.XnFree, &Call);
        Subsystems.RegisterCall(Syscall.XnWrite, &Call);
        Subsystems.RegisterCall(Syscall.XnRead, &Call);
        Subsystems.RegisterCall(Syscall.XnFetch, &Call);
        Subsystems.RegisterCall(Syscall.XnSync, &Call);
        Subsystems.RegisterCall(Syscall.XnInfo, &Call);
        Subsystems.RegisterCall(Syscall.XnMap, &Call);
        Subsystems.RegisterCall(Syscall.XnEvict, &Call);
        Subsystems.RegisterCall(Syscall.XnMove, &Call);
        Subsystems.RegisterCall(Syscall.XnFetchRun, &Call);
        if (!VirtioBlock.Present) return;
        s_disk = new VirtioDisk();
        var pages = new FramePages();
        if (s_disk.IsBlank())
        {
            Error formatted = XnVolume.Format(s_disk, s_disk.BlockCount, pages);
            Console.Write("kernel: xn: formatted the blank disk: ");
            Console.WriteLine(formatted == 0 ? "ok" : "FAILED");
            if (formatted != 0) return;
        }
        KernelExecutive.EnsureReady();          // the compiler's code region and tables
        s_runner = new CompilingOwnsRunner();
        var volume = new XnVolume(s_disk, s_runner, CacheBlocks, pages);
        s_disk.Sink = volume;
        MountReport report = volume.Mount();
        if (report.Fatal != 0)
        {
            Console.WriteLine(report.Fatal == Error.NoMemory ? "kernel: xn: no memory for XN's buffer cache; the disk is left alone"
                                                              : "kernel: xn: the disk holds no XN volume; it is left alone");
            return;
        }
        for (int i = 0; i < report.Problems.Count; i++)
        {
            MountProblem p = report.Problems[i];
            Console.Format("kernel: xn: mount problem: error {} at block {}, named by block {}\n", (ulong)(-(long)p.Error), p.Block, p.Parent);
        }
        s_reachable = (ulong)report.Reachable;
        s_problems = (ulong)report.Problems.Count;
        Console.Format("kernel: xn: mounted {} blocks, {} templates, {} roots, {} blocks reachable: ", volume.BlockCount,
                       (ulong)report.Templates, (ulong)report.Roots, (ulong)report.Reachable);
        Console.WriteLine(report.IsConsistent ? "consistent" : "PROBLEMS (listed above)");
        s_volume = volume;
        s_change = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(XnLayout.BlockSize);
        s_ready = new uint[XnVolume.QueueDepth];
        s_registry = (BlockRecord*)KernelWindows.Allocate(UserLayout.BlockRegistry, (ulong)volume.BlockCount * 8);
        VirtioBlock.OnComplete = &Completed;
        PublishAll();
    }

    public static long Call(Environment env, TrapFrame* frame, Syscall call, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        if (s_volume == null) return (long)Error.NoDevice;
        long result;
        switch (call)
        {
            case Syscall.XnTemplate: result = Template(env, a0, a1, a2); break;
            case Syscall.XnRootCreate: result = RootCreate(env, a0, a1, a2, a3, a4); break;
            case Syscall.XnRootOpen: result = RootOpen(env, a0, a1, a2, a3); break;
            case Syscall.XnAlloc:
            case Syscall.XnFree:
            case Syscall.XnWrite: result = Change(env, call, a0); break;
            case Syscall.XnMove: result = Move(env, a0, a1); break;
            case Syscall.XnRead: return Read(env, a0, a1, a2, a3, a4);     // changes nothing: no publish
            case Syscall.XnFetch: return Fetch(env, frame, a0, a1);
            case Syscall.XnFetchRun: return FetchRun(env, frame, a0, a1, a2);
            case Syscall.XnSync: return Sync(env, frame, a0);
            case Syscall.XnInfo: return Info(env, a0);
            case Syscall.XnMap: result = Map(env, a0, a1, a2); break;
            case Syscall.XnEvict: result = Evict(env, a0, a1); break;
            default: return (long)Error.NoSuchCall;
        }
        // A change that took no block out of the cache touched only the rows it named (published
        // by Named) and the blocks it released (a free ends the wait of blocks waiting on a
        // freed parent); the rest of the window is as the last full publish left it.
        if ((call == Syscall.XnWrite || call == Syscall.XnAlloc || call == Syscall.XnFree || call == Syscall.XnMove || call == Syscall.XnEvict) &&
            s_volume.CacheReleases == s_releasesSeen)
            PublishReleased();
        else Publish();
        Sweep();
        return result;
    }

    /// <summary>XnMap: shows a cached block under handle's root read-only at address (a free page).</summary>
    private static long Map(Environment env, ulong handle, ulong block, ulong address)
    {
        long root = RootOf(env, handle, false);
        if (root < 0) return root;
        if (block > uint.MaxValue || block >= s_volume.BlockCount) return (long)Error.NoSuchBlock;
        if ((address & (AddressSpace.PageSize - 1)) != 0) return (long)Error.BadArgument;
        if (!AddressSpace.IsUserPage(address)) return (long)Error.BadAddress;
        if ((env.Space.Query(address) & AddressSpace.Present) != 0) return (long)Error.BadArgument;
        ulong owner = s_volume.OwnerOf((uint)block);
        if (owner == XnVolume.NoOwner) return (long)Error.Uninitialised;
        if (KeyFor(root, (uint)block) != owner) return (long)Error.NotOwner;
        if (!s_volume.CachedPage((uint)block, out _, out ulong frame) || !s_volume.IsReadable((uint)block)) return (long)Error.NotInCore;
        if (s_mappedCount == MaxMappings) return (long)Error.TableFull;
        if (!Mappings.MapPinnedFrame(env, address, frame)) return (long)Error.TableFull;
        s_mappedBlock[s_mappedCount] = (uint)block;
        s_mappedFrame[s_mappedCount] = frame;
        s_mappedCount++;
        return 0;
    }

    /// <summary>XnEvict: drops a clean block under handle's root from the cache.</summary>
    private static long Evict(Environment env, ulong handle, ulong block)
    {
        long root = RootOf(env, handle, false);
        if (root < 0) return root;
        if (block > uint.MaxValue || block >= s_volume.BlockCount) return (long)Error.NoSuchBlock;
        ulong owner = s_volume.OwnerOf((uint)block);
        if (owner == XnVolume.NoOwner) return (long)Error.Uninitialised;
        if (KeyFor(root, (uint)block) != owner) return (long)Error.NotOwner;
        int slot = s_volume.Entry((uint)block).Slot;
        ulong before = s_volume.CacheReleases;
        Error e = s_volume.Evict((uint)block);
        Named(block, 1);
        // Exactly this block left the cache: its row and its slot's record are all that changed.
        if (e == 0 && slot >= 0 && slot < s_slotBlock.Length && before == s_releasesSeen && s_volume.CacheReleases == before + 1)
        {
            s_slotBlock[slot] = XnVolume.NoBlock;
            s_releasesSeen = before + 1;
        }
        return (long)e;
    }

    /// <summary>After every change to the cache: a page that no longer caches the block it was
    /// mapped for (evicted, freed, reused for another block) is taken back from every
    /// environment holding it, before any of them runs again.</summary>
    private static void Sweep()
    {
        for (int i = 0; i < s_mappedCount;)
        {
            uint block = s_mappedBlock[i];
            if (s_volume.CachedPage(block, out _, out ulong frame) && frame == s_mappedFrame[i] &&
                s_volume.Entry(block).State == BlockState.Allocated && FrameTable.References(frame) > 1)
            {
                i++;
                continue;
            }
            s_revoking = s_mappedFrame[i];
            EnvTable.ForEach(&Unmap, null);
            s_mappedCount--;
            s_mappedBlock[i] = s_mappedBlock[s_mappedCount];
            s_mappedFrame[i] = s_mappedFrame[s_mappedCount];
        }
    }

    private static ulong s_revoking;

    private static void Unmap(Environment env, Environment unused)
    {
        while (env.Capabilities.FindFrame(s_revoking, out CapabilitySlot* slot) != 0)
        {
            env.Space.UnmapFrame(s_revoking);
            env.Capabilities.Release(slot);
        }
    }

    private static long Template(Environment env, ulong program, ulong count, ulong report)
    {
        KernelExecutive.EnsureReady();
        long error = ProgramArguments.Copy(env, program, count, report, out ReadOnlySpan<Instruction> code);
        if (error < 0) return error;
        Error e = s_volume.RegisterTemplate(code, out uint type, out VerifierResult verdict);
        ProgramArguments.Report(report, verdict);
        if (e != 0) return (long)e;
        Pump();
        return type;
    }

    private static long RootCreate(Environment env, ulong name, ulong length, ulong key, ulong block, ulong type)
    {
        if (!CopyName(env, name, length, out ReadOnlySpan<byte> text)) return length == 0 || length > 16 ? (long)Error.BadLength : (long)Error.BadAddress;
        if (key == 0 || block > uint.MaxValue || type > uint.MaxValue) return (long)Error.BadArgument;
        if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
        Error e = s_volume.CreateRoot(key, text, (uint)block, (uint)type, out int index);
        if (e != 0) return (long)e;
        Named(block, 1);
        return Grant(env, index);
    }

    /// <summary>XnRootOpen: the root's block goes to blockOut (0: not wanted).</summary>
    private static long RootOpen(Environment env, ulong name, ulong length, ulong key, ulong blockOut)
    {
        if (!CopyName(env, name, length, out ReadOnlySpan<byte> text)) return length == 0 || length > 16 ? (long)Error.BadLength : (long)Error.BadAddress;
        int index = s_volume.FindRoot(text);
        if (index < 0) return (long)Error.NoSuchBlock;
        RootEntry root = s_volume.Root(index);
        if (key == 0 || root.Owner != key) return (long)Error.NotOwner;
        if (blockOut != 0 && !UserMemory.CanAccess(env.Space, blockOut, 8, true)) return (long)Error.BadAddress;
        if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
        if (blockOut != 0) *(ulong*)blockOut = root.Block;
        return Grant(env, index);
    }

    /// <summary>A new XnRoot capability in env's table for the root at catalogue index, with the Write right.</summary>
    private static long Grant(Environment env, int index)
    {
        ulong handle = env.Capabilities.Insert(CapabilityType.XnRoot, (ulong)s_volume.Root(index).Block << 32 | (uint)index, false, null, CapabilityRights.Write);
        return handle == 0 ? (long)Error.TableFull : (long)handle;
    }

    private static long Change(Environment env, Syscall call, ulong address)
    {
        if (!UserMemory.CanAccess(env.Space, address, (ulong)sizeof(XnChange), false)) return (long)Error.BadAddress;
        XnChange c = *(XnChange*)address;
        long root = RootOf(env, c.Root, true);
        if (root < 0) return root;
        if (c.Length > XnLayout.BlockSize || c.Offset > XnLayout.BlockSize || c.Offset + c.Length > XnLayout.BlockSize) return (long)Error.BadLength;
        if (c.Block > uint.MaxValue || c.First > uint.MaxValue || c.Count > uint.MaxValue || c.Type > uint.MaxValue) return (long)Error.NoSuchBlock;
        if (!UserMemory.CanAccess(env.Space, c.Bytes, c.Length, false)) return (long)Error.BadAddress;
        System.Buffer.MemoryCopy((void*)c.Bytes, s_change, XnLayout.BlockSize, (long)c.Length);
        var bytes = new ReadOnlySpan<byte>(s_change, (int)c.Length);
        uint block = (uint)c.Block;
        ulong caller = KeyFor(root, block);
        Error e;
        ulong before = s_volume.CacheReleases;
        if (call == Syscall.XnAlloc) e = s_volume.Alloc(caller, block, (int)c.Offset, bytes, (uint)c.First, (uint)c.Count, (uint)c.Type);
        else if (call == Syscall.XnFree)
        {
            // The freed blocks' slots are noted first: when they are all the cache gave back,
            // their records are cleared here and no full publish is needed.
            const int Noted = 16;                       // more cached freed blocks: a scan of the slots
            int* slots = stackalloc int[Noted];
            ulong cached = 0;
            for (ulong b = c.First; b < c.First + c.Count && b < s_volume.BlockCount; b++)
            {
                int slot = s_volume.Entry((uint)b).Slot;
                if (slot < 0) continue;
                if (cached < Noted) slots[cached] = slot;
                cached++;
            }
            e = s_volume.Free(caller, block, (int)c.Offset, bytes, (uint)c.First, (uint)c.Count);
            if (e == 0 && before == s_releasesSeen && s_volume.CacheReleases == before + cached)
            {
                if (cached <= Noted)
                {
                    for (ulong i = 0; i < cached; i++)
                        if (slots[i] < s_slotBlock.Length && s_volume.BlockInSlot(slots[i]) == XnVolume.NoBlock) s_slotBlock[slots[i]] = XnVolume.NoBlock;
                }
                else
                    for (int slot = 0; slot < s_slotBlock.Length; slot++)
                        if (s_slotBlock[slot] >= c.First && s_slotBlock[slot] < c.First + c.Count && s_volume.BlockInSlot(slot) == XnVolume.NoBlock)
                            s_slotBlock[slot] = XnVolume.NoBlock;
                s_releasesSeen = s_volume.CacheReleases;
            }
        }
        else if (block < s_volume.BlockCount && s_volume.Entry(block).State == BlockState.Allocated && s_volume.Entry(block).Type == 0)
            e = s_volume.WriteData(caller, block, (int)c.Offset, bytes);
        else e = s_volume.WriteMetadata(caller, block, (int)c.Offset, bytes);
        Named(c.Block, 1);
        if (e == 0 && call != Syscall.XnWrite) Named(c.First, c.Count);
        return (long)e;
    }

    private static long Move(Environment env, ulong fromAddress, ulong toAddress)
    {
        if (!UserMemory.CanAccess(env.Space, fromAddress, (ulong)sizeof(XnChange), false) ||
            !UserMemory.CanAccess(env.Space, toAddress, (ulong)sizeof(XnChange), false)) return (long)Error.BadAddress;
        XnChange f = *(XnChange*)fromAddress, t = *(XnChange*)toAddress;
        long root = RootOf(env, f.Root, true);      // XN refuses a `to` under another root than `from`'s
        if (root < 0) return root;
        if (f.Length > XnLayout.MoveChangeMax || f.Offset > XnLayout.BlockSize || f.Offset + f.Length > XnLayout.BlockSize) return (long)Error.BadLength;
        if (t.Length > XnLayout.BlockSize || t.Offset > XnLayout.BlockSize || t.Offset + t.Length > XnLayout.BlockSize) return (long)Error.BadLength;
        if (f.Block > uint.MaxValue || t.Block > uint.MaxValue) return (long)Error.NoSuchBlock;
        if (!UserMemory.CanAccess(env.Space, f.Bytes, f.Length, false) || !UserMemory.CanAccess(env.Space, t.Bytes, t.Length, false)) return (long)Error.BadAddress;
        byte* fromBytes = stackalloc byte[XnLayout.MoveChangeMax];
        System.Buffer.MemoryCopy((void*)f.Bytes, fromBytes, XnLayout.MoveChangeMax, (long)f.Length);
        System.Buffer.MemoryCopy((void*)t.Bytes, s_change, XnLayout.BlockSize, (long)t.Length);
        Error e = s_volume.Move(KeyFor(root, (uint)f.Block), (uint)f.Block, (int)f.Offset, new ReadOnlySpan<byte>(fromBytes, (int)f.Length),
                                (uint)t.Block, (int)t.Offset, new ReadOnlySpan<byte>(s_change, (int)t.Length));
        Named(f.Block, 1);
        Named(t.Block, 1);
        Named(XnLayout.SuperBlock, 1);
        return (long)e;
    }

    private static long Read(Environment env, ulong handle, ulong block, ulong offset, ulong buffer, ulong length)
    {
        long root = RootOf(env, handle, false);
        if (root < 0) return root;
        if (length > XnLayout.BlockSize || offset > XnLayout.BlockSize || offset + length > XnLayout.BlockSize) return (long)Error.BadLength;
        if (block > uint.MaxValue) return (long)Error.NoSuchBlock;
        if (!UserMemory.CanAccess(env.Space, buffer, length, true)) return (long)Error.BadAddress;
        Error e = s_volume.Read(KeyFor(root, (uint)block), (uint)block, (int)offset, new Span<byte>(s_change, (int)length));
        if (e != 0) return (long)e;
        System.Buffer.MemoryCopy(s_change, (void*)buffer, (long)length, (long)length);
        return 0;
    }

    /// <summary>XnFetch: a run of one block, returning 0 when it is in core.</summary>
    private static long Fetch(Environment env, TrapFrame* frame, ulong handle, ulong block) =>
        block > uint.MaxValue ? (long)Error.NoSuchBlock : Run(env, frame, handle, block, 1, WaitFetch);

    /// <summary>XnFetchRun: XnFetch for each block of [first, first + count), each checked as XnFetch
    /// is, stopping at the first the caller may not read or the cache or queue cannot take (that
    /// error when it is the first block); blocks the caller until every block started is in core.
    /// Returns how many blocks from first on are in core or were read. One call, one wait.</summary>
    private static long FetchRun(Environment env, TrapFrame* frame, ulong handle, ulong first, ulong count)
    {
        if (count == 0 || count > XnVolume.QueueDepth) return (long)Error.BadLength;
        if (first > uint.MaxValue || first >= s_volume.BlockCount || count > s_volume.BlockCount - first) return (long)Error.NoSuchBlock;
        return Run(env, frame, handle, first, count, WaitRun);
    }

    /// <summary>Starts reading the run; kind WaitFetch answers 0, WaitRun how many blocks.</summary>
    private static long Run(Environment env, TrapFrame* frame, ulong handle, ulong first, ulong count, uint kind)
    {
        long root = RootOf(env, handle, false);
        if (root < 0) return root;
        uint got = 0;
        Error e = 0;
        for (ulong b = first; b < first + count; b++)
        {
            e = s_volume.Fetch(KeyFor(root, (uint)b), (uint)b);
            if (e != 0) break;
            got++;
        }
        Named(first, got == 0 ? 1 : got);
        if (s_volume.CacheReleases != s_releasesSeen) Publish();        // else slots taken: named
        if (got == 0) return (long)e;
        if (RunReadable((uint)first, got)) return kind == WaitFetch ? 0 : got;
        s_waitKind[env.Index] = kind;
        s_waitBlock[env.Index] = (uint)first;
        s_waitCount[env.Index] = got;
        Block(env, frame);
        return 0;
    }

    /// <summary>No block of the run is still being read.</summary>
    private static bool RunReadable(uint first, uint count)
    {
        for (uint b = first; b < first + count; b++)
            if (s_volume.Entry(b).Slot >= 0 && !s_volume.IsReadable(b)) return false;
        return true;
    }

    /// <summary>XnSync: writes what may be written and blocks the caller until XN's own blocks and
    /// those under handle's root (0: none) are on disk.</summary>
    private static long Sync(Environment env, TrapFrame* frame, ulong handle)
    {
        long root = handle == 0 ? -1 : RootOf(env, handle, false);
        if (root < -1) return root;
        // The rows Pump can change are the blocks it started writing (a full publish walked all
        // 2048 slots, some 200,000 instructions an fsync); a block that left the cache since the
        // last pass still needs the full one.
        int started = Pump();
        if (s_volume.CacheReleases != s_releasesSeen) Publish();
        else
        {
            for (int i = 0; i < started; i++) Named(s_ready[i], 1);
            PublishReleased();
        }
        if (Clean(root)) return 0;
        s_waitKind[env.Index] = WaitSync;
        s_waitBlock[env.Index] = (uint)root;
        Block(env, frame);
        return 0;
    }

    private static void Block(Environment env, TrapFrame* frame)
    {
        env.BlockedOn = s_diskWait;
        if (!s_listed[env.Index])
        {
            s_listed[env.Index] = true;
            s_waiting[s_waitingCount++] = env.Index;
        }
        EnvTable.Publish(env);
        frame->Rax = 0;
        Scheduler.SaveCurrent(frame);
        Scheduler.RunNext();
    }

    private static long Info(Environment env, ulong address)
    {
        if (!UserMemory.CanAccess(env.Space, address, (ulong)sizeof(XnInfo), true)) return (long)Error.BadAddress;
        var info = (XnInfo*)address;
        info->Blocks = s_volume.BlockCount;
        info->FreeBlocks = (ulong)s_volume.CountFree();
        info->FirstBlock = XnLayout.FirstAllocatable;
        info->Reachable = s_reachable;
        info->MountProblems = s_problems;
        info->Reads = (ulong)s_volume.Statistics.Reads;
        info->Writes = (ulong)s_volume.Statistics.Writes;
        info->OwnsRuns = (ulong)s_volume.Statistics.OwnsRuns;
        info->OwnsCompiled = (ulong)s_runner.CompiledRuns;
        info->NextTemplate = s_volume.NextTemplate;
        return 0;
    }

    /// <summary>From the disk's interrupt (or a boot-time poll): one transfer ended.</summary>
    private static void Completed(ulong tag, bool ok)
    {
        bool known = s_volume.RequestOf((int)tag, out uint block, out bool read);
        ulong before = s_volume.CacheReleases;
        s_disk.Complete((int)tag, ok);
        // Writeback scans the cache (about 40,000 instructions for 2048 slots): after a read
        // nothing new can be written, and while a quarter of the queue is still busy the next
        // completions will refill it, so one scan starts some 24 writes.
        int started = known && (read || s_volume.InFlight() > XnVolume.QueueDepth / 4) ? 0 : Pump();
        // The rows a completion can change: its block, the parent its write untaints, the freed
        // blocks its write released (the release log), the blocks whose writes Pump started; a block leaving
        // the cache or a logged move's bookkeeping needs the full pass.
        if (known && before == s_releasesSeen && s_volume.CacheReleases == before && s_volume.MovesActive == 0)
        {
            Named(block, 1);
            uint parent = s_volume.Entry(block).Parent;
            if (parent < s_volume.BlockCount) Named(parent, 1);
            for (int i = 0; i < started; i++) Named(s_ready[i], 1);
            PublishReleased();
        }
        else Publish();
        Sweep();
        WakeWaiters();
    }

    /// <summary>Wakes the environments waiting on the disk whose wait is over; the list keeps
    /// those still waiting (an environment that ended or stopped waiting leaves it).</summary>
    private static void WakeWaiters()
    {
        for (int i = 0; i < s_waitingCount;)
        {
            int index = s_waiting[i];
            Environment env = EnvTable.AtIndex(index);
            if (env != null && env.BlockedOn == s_diskWait)
            {
                Wake(env, null);
                if (env.BlockedOn == s_diskWait) { i++; continue; }
            }
            s_listed[index] = false;
            s_waiting[i] = s_waiting[--s_waitingCount];
        }
    }

    /// <summary>Every timer tick: write behind, so dirty blocks reach the disk without a sync.</summary>
    public static void Tick()
    {
        if (s_volume == null || s_unclean == 0 || Pit.Ticks < s_nextWriteback) return;
        s_nextWriteback = Pit.Ticks + WritebackTicks;
        Pump();
        Publish();
    }

    /// <summary>Starts every write XN's order allows now; how many started (s_ready's first ones).</summary>
    private static int Pump()
    {
        int n = s_volume.Writeback(s_ready);
        for (int i = 0; i < n; i++)
            if (s_volume.StartWrite(s_ready[i]) == Error.TableFull) return i;
        return n;
    }

    private static void Wake(Environment env, Environment unused)
    {
        if (env.BlockedOn != s_diskWait) return;
        uint kind = s_waitKind[env.Index];
        if (kind == WaitFetch || kind == WaitRun)
        {
            uint first = s_waitBlock[env.Index], count = s_waitCount[env.Index];
            if (!RunReadable(first, count)) return;
            env.Frame->Rax = s_volume.Entry(first).Slot < 0 ? unchecked((ulong)(long)Error.NotInCore)    // a failed read
                           : kind == WaitFetch ? 0 : count;
        }
        else if (kind == WaitSync)
        {
            if (!Clean((int)s_waitBlock[env.Index])) return;
            env.Frame->Rax = 0;
        }
        else return;
        s_waitKind[env.Index] = 0;
        env.BlockedOn = null;
        EnvTable.Publish(env);
    }

    /// <summary>XnSync's condition: nothing dirty or being written under root (-1: none), nor among
    /// XN's own blocks (templates, catalogue), which every root depends on. Other roots' writes
    /// do not hold it up.</summary>
    private static bool Clean(long root) => s_uncleanByRoot[XnLayout.MaxRoots] == 0 && (root < 0 || s_uncleanByRoot[root] == 0);

    /// <summary>Boot time: every row of the registry window.</summary>
    private static void PublishAll()
    {
        for (uint b = 0; b < s_volume.BlockCount; b++) PublishRow(b);
        s_slotBlock = new uint[s_volume.CacheSlots];
        for (int i = 0; i < s_slotBlock.Length; i++) s_slotBlock[i] = XnVolume.NoBlock;
        Publish();
    }

    /// <summary>The full pass, for when a block left the cache: every cached block's row and the
    /// rows of blocks that just left it (every change to a block's state passes through the
    /// cache, but for frees), and blocks released since the last pass (PublishReleased). Costs O(cache), not
    /// O(disk). The unclean counts follow the rows (PublishRow).</summary>
    private static void Publish()
    {
        s_releasesSeen = s_volume.CacheReleases;
        for (int slot = 0; slot < s_slotBlock.Length; slot++)
        {
            uint block = s_volume.BlockInSlot(slot);
            if (s_slotBlock[slot] != block && s_slotBlock[slot] != XnVolume.NoBlock) PublishRow(s_slotBlock[slot]);
            s_slotBlock[slot] = block;
            if (block == XnVolume.NoBlock || block >= s_volume.BlockCount) continue;
            PublishRow(block);
        }
        PublishReleased();
    }

    /// <summary>The rows of blocks that became free since the last pass (XnVolume's release log:
    /// freed blocks whose wait ended, by a parent's write or a parent freed), every row when more
    /// were released than the log holds. Costs what was released, not what waits.</summary>
    private static void PublishReleased()
    {
        ulong now = s_volume.BlocksReleased;
        if (now == s_releasedSeen) return;
        if (now - s_releasedSeen > XnVolume.ReleaseLog)
            for (uint b = 0; b < s_volume.BlockCount; b++) PublishRow(b);
        else
            for (ulong n = s_releasedSeen; n < now; n++) PublishRow(s_volume.ReleasedBlock(n));
        s_releasedSeen = now;
    }

    /// <summary>Publishes the rows of blocks an operation named (first .. first + count - 1, clipped
    /// to the disk).</summary>
    private static void Named(ulong first, ulong count)
    {
        for (ulong b = first; b < first + count && b < s_volume.BlockCount; b++)
        {
            PublishRow((uint)b);
            NoteSlot((uint)b);
        }
    }

    /// <summary>A named block in the cache: its slot's record is brought up to date (a block that
    /// held the slot before gets its row again).</summary>
    private static void NoteSlot(uint b)
    {
        BlockEntry e = s_volume.Entry(b);
        if (e.Slot < 0 || s_slotBlock == null || e.Slot >= s_slotBlock.Length) return;
        uint old = s_slotBlock[e.Slot];
        if (old != b && old != XnVolume.NoBlock && old < s_volume.BlockCount) PublishRow(old);
        s_slotBlock[e.Slot] = b;
    }

    private static void PublishRow(uint b)
    {
        BlockEntry e = s_volume.Entry(b);
        byte flags = 0;
        if (e.Slot >= 0) flags |= BlockRecord.InCore;
        if (e.Dirty) flags |= BlockRecord.Dirty;
        if (e.Writing) flags |= BlockRecord.Writing;
        if (e.OnDisk) flags |= BlockRecord.OnDisk;
        if (e.Taint > 0) flags |= BlockRecord.Tainted;
        bool cached = s_volume.CachedPage(b, out _, out ulong frame);
        if (cached && !s_volume.IsReadable(b)) flags |= BlockRecord.Reading;
        BlockRecord* r = s_registry + b;
        // The unclean counts follow the rows: a block counts while its row says in core and
        // dirty or being written, under the root its row names (XN's own blocks: the last).
        const byte Unclean = BlockRecord.Dirty | BlockRecord.Writing;
        byte root = e.Root < 0 || e.Root > 254 ? (byte)255 : (byte)e.Root;
        bool was = (r->Flags & BlockRecord.InCore) != 0 && (r->Flags & Unclean) != 0;
        bool now = (flags & BlockRecord.InCore) != 0 && (flags & Unclean) != 0;
        if (was) { s_unclean--; s_uncleanByRoot[r->Root < XnLayout.MaxRoots ? r->Root : XnLayout.MaxRoots]--; }
        if (now) { s_unclean++; s_uncleanByRoot[root < XnLayout.MaxRoots ? root : XnLayout.MaxRoots]++; }
        r->Frame = cached ? (uint)frame : 0;
        r->State = (byte)e.State;
        r->Type = (byte)e.Type;
        r->Flags = flags;
        r->Root = root;
    }

    /// <summary>The catalogue index of the root an XnRoot capability of env's names, if it has the
    /// Write right when write is set; else BadHandle (none, or its root is gone) or NoRights.</summary>
    private static long RootOf(Environment env, ulong handle, bool write)
    {
        CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.XnRoot);
        if (slot == null || !s_volume.Root((int)(uint)slot->Object).InUse || s_volume.Root((int)(uint)slot->Object).Block != slot->Object >> 32) return (long)Error.BadHandle;
        return write && (slot->Rights & CapabilityRights.Write) == 0 ? (long)Error.NoRights : (uint)slot->Object;
    }

    /// <summary>The key XN checks block against: root's when block is under root, else NoOwner
    /// (no root has it: XN answers NotOwner, or Uninitialised for a block nobody owns).</summary>
    private static ulong KeyFor(long root, uint block) =>
        block < s_volume.BlockCount && s_volume.Entry(block).Root == root ? s_volume.Root((int)root).Owner : XnVolume.NoOwner;

    private static bool CopyName(Environment env, ulong name, ulong length, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (length == 0 || length > 16 || !UserMemory.CanAccess(env.Space, name, length, false)) return false;
        System.Buffer.MemoryCopy((void*)name, s_change, 16, (long)length);
        text = new ReadOnlySpan<byte>(s_change, (int)length);
        return true;
    }

    /// <summary>env is ending: its disk wait goes (its XnRoot capabilities go with its table).</summary>
    public static void Forget(Environment env) => s_waitKind[env.Index] = 0;
}
