// C-FFS on XN: hierarchical directories of embedded inodes, external inodes for hard-linked files,
// extents with holes, symbolic links, POSIX attributes (layout in CffsLayout, docs/filesystem.md).
// Every change goes through XN's checked calls (IXnPort), so the same code runs in the guest and in
// the host tools. Results: 0 or a count, or -errno (Errno). Policy here, not in XN: allocation near
// the directory (explicit grouping: a directory's small files sit in the blocks after it), sizes
// written with or after the blocks they cover and before they are freed, caching (copies of metadata
// and small files' blocks, a name index, read-ahead runs, Reclaim on a full XN cache). Invariant:
// bytes past a file's size in its last block are zero. No garbage collector or exceptions are
// needed: buffers are allocated per volume and only grow (pages on first use, the index's arrays).
// Renames to another directory and the first link of a file use XN's move. Missing: an open file
// surviving its unlink, UTF-8 names beyond Latin-1.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS.Cffs
{
    public sealed unsafe class FileSystem
    {
        private const int SlotSize = CffsLayout.SlotSize, BlockSize = CffsLayout.BlockSize;
        private const int MaxSymlinks = 40, AllocChunk = 64;
        /// <summary>Blocks read with one that is missing from the cache (XN's queue depth at most).</summary>
        private const uint ReadAhead = 32;

        private readonly IXnPort _xn;
        private readonly uint _root;
        private uint _typeD, _typeX, _typeI;
        private uint _cursor;
        private readonly MetadataCache _meta = new MetadataCache(2048);             // 8 MiB at most
        /// <summary>Copies of small files' data blocks (files of at most SmallFile bytes): a warm read
        /// is a memory copy, no XN call. 64 MiB at most, 10,000 small files.</summary>
        private readonly MetadataCache _data = new MetadataCache(16384);
        private const ulong SmallFile = 64 * 1024;
        private readonly DirectoryIndex _index = new DirectoryIndex();
        private byte* _found;                               // FindEntry's block copy (in _meta)

        // The extents of one inode (_extNode), every slot in order: the entry's four, then each
        // extent block's. _lists: the extent blocks in chain order.
        private Extent[] _ext = new Extent[64];
        private int _extCount;
        private uint[] _lists = new uint[16];
        private int _listCount;
        private int _lastHit;
        private Node _extNode;
        private bool _extValid;
        private ulong _generation, _epoch;

        /// <summary>A word shared by every process using this volume (ExOS's file table page), bumped
        /// on each change: the cached extents are dropped when another process changed something.
        /// Null (the default): this instance is the volume's only user.</summary>
        public ulong* SharedGeneration;

        private struct Extent
        {
            public uint Holder;
            public int Offset;
            public uint Start, Count, Logical;
        }

        public uint RootBlock => _root;
        public uint DirectoryType => _typeD;
        public uint ExtentType => _typeX;
        public uint InodeTableType => _typeI;
        public Node Root => new Node(_root, 0);

        private FileSystem(IXnPort xn, uint root)
        {
            _xn = xn;
            _root = root;
            _cursor = xn.FirstBlock;
            _epoch = xn.Epoch;
        }

        // ------------------------------------------------------------------ opening and making

        /// <summary>Opens the file system in the XN root `name` (1-16 bytes) with `key`; when there is
        /// no root of that name and create is set, registers the templates and makes an empty one.
        /// Null with -errno in error otherwise.</summary>
        public static FileSystem Open(IXnPort xn, string name, ulong key, bool create, out long error)
        {
            byte* text = stackalloc byte[16];
            int length = name.Length < 16 ? name.Length : 16;
            for (int i = 0; i < length; i++) text[i] = (byte)name[i];
            long root = xn.OpenRoot(text, length, key);
            if (root >= 0)
            {
                var fs = new FileSystem(xn, (uint)root);
                error = fs.Load();
                return error < 0 ? null : fs;
            }
            if (root != (long)Error.NoSuchBlock || !create) { error = root == (long)Error.NoSuchBlock ? -(long)Errno.ENOENT : XnErrors.ToErrno(root); return null; }

            uint d = xn.NextTemplateType(), x = d + 1, t = d + 2;
            if (d == 0 || t > 15) { error = -(long)Errno.ENOSPC; return null; }
            error = Register(xn, CffsTemplates.Directory(d, t, x, d), d);
            if (error == 0) error = Register(xn, CffsTemplates.ExtentList(x), x);
            if (error == 0) error = Register(xn, CffsTemplates.Directory(t, 0, x, d), t);
            if (error == 0) error = XnErrors.ToErrno(xn.Sync());      // types are usable once on disk
            if (error < 0) return null;
            var made = new FileSystem(xn, 0);
            uint block = made.FindFree(xn.FirstBlock, 1, out _);
            if (block == 0) { error = -(long)Errno.ENOSPC; return null; }
            root = xn.CreateRoot(text, length, key, block, d);
            if (root < 0) { error = XnErrors.ToErrno(root); return null; }
            var fs2 = new FileSystem(xn, (uint)root) { _typeD = d, _typeX = x, _typeI = t };
            error = fs2.WriteHeader((uint)root, (uint)root, CffsLayout.Ino((uint)root, 0), d, x, t);
            if (error < 0) return null;
            byte* inode = stackalloc byte[56];
            fs2.MakeInode(inode, CffsLayout.Directory | 0x1ED, 0, 0, 2);
            error = fs2.Meta((uint)root, 0, inode, 56);
            return error < 0 ? null : fs2;
        }

        private static long Register(IXnPort xn, ProgramInstruction[] program, uint expected)
        {
            long type;
            fixed (ProgramInstruction* p = program) type = xn.RegisterTemplate(p, program.Length);
            if (type < 0) return XnErrors.ToErrno(type);
            return type == expected ? 0 : -(long)Errno.EIO;   // someone registered one meanwhile
        }

        private long Load()
        {
            long r = Get(_root);
            if (r < 0) return r;
            if (U32(_root, CffsLayout.HeaderMagic) != CffsLayout.Magic) return -(long)Errno.EINVAL;
            _typeD = U32(_root, CffsLayout.TypeD);
            _typeX = U32(_root, CffsLayout.TypeX);
            _typeI = U32(_root, CffsLayout.TypeI);
            return 0;
        }

        private long WriteHeader(uint block, uint parent, ulong self, uint d, uint x, uint t)
        {
            uint* h = stackalloc uint[6];
            h[0] = CffsLayout.Magic; h[1] = d; h[2] = x; h[3] = t; h[4] = parent; h[5] = (uint)self;
            return Meta(block, CffsLayout.HeaderMagic, (byte*)h, 24);
        }

        private void MakeInode(byte* inode, uint mode, uint uid, uint gid, uint nlink)
        {
            Zero(inode, 56);
            *(uint*)(inode + CffsLayout.Mode) = mode;
            *(uint*)(inode + CffsLayout.Uid) = uid;
            *(uint*)(inode + CffsLayout.Gid) = gid;
            *(uint*)(inode + CffsLayout.Nlink) = nlink;
            ulong now = _xn.Now();
            *(ulong*)(inode + CffsLayout.Atime) = now;
            *(ulong*)(inode + CffsLayout.Mtime) = now;
            *(ulong*)(inode + CffsLayout.Ctime) = now;
        }

        // ------------------------------------------------------------------ XN, with the cache policy

        /// <summary>Brings a block into core; a full cache is emptied of clean blocks once. A block
        /// missing from the cache comes with the blocks after it that are allocated, of its type and
        /// missing too, up to ReadAhead, in one XN call and one wait: explicit grouping puts a
        /// directory's small files there, so reading them in order reads ahead, while a directory's
        /// chain, scattered among its files, reads no data blocks it does not need.</summary>
        private long Get(uint block)
        {
            if (_xn.InCore(block)) return 0;
            uint run = 1, type = _xn.TypeOf(block);
            while (run < ReadAhead && block + run < _xn.BlockCount && !_xn.IsFree(block + run) && !_xn.InCore(block + run) &&
                   _xn.TypeOf(block + run) == type) run++;
            long r = run > 1 ? _xn.FetchRun(block, run) : _xn.Fetch(block);
            if (r == (long)Error.TableFull) { _xn.Reclaim(); r = _xn.Fetch(block); }
            return r < 0 ? XnErrors.ToErrno(r) : 0;
        }

        /// <summary>Brings two blocks into core together: fetching the second may empty a full cache
        /// (Reclaim) and take the first out again, so the first is fetched again then.</summary>
        private long GetBoth(uint a, uint b)
        {
            long r = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                r = Get(a);
                if (r == 0) r = Get(b);
                if (r < 0 || _xn.InCore(a)) return r;
            }
            return -(long)Errno.ENOMEM;
        }

        /// <summary>Another process using the volume must drop its cached extents.</summary>
        private void Changed()
        {
            if (SharedGeneration == null) return;
            CheckGeneration();
            (*SharedGeneration)++;
            _generation = *SharedGeneration;
        }

        /// <summary>When another process changed the volume, or this instance now runs in a forked
        /// child (another environment, other authority), the cached extents, block copies and the
        /// name index go.</summary>
        private void CheckGeneration()
        {
            ulong epoch = _xn.Epoch;
            if ((SharedGeneration == null || *SharedGeneration == _generation) && epoch == _epoch) return;
            if (SharedGeneration != null) _generation = *SharedGeneration;
            _epoch = epoch;
            _extValid = false;
            _meta.DropAll();
            _data.DropAll();
            _index.DropAll();
        }

        private long Meta(uint block, int offset, byte* bytes, int length)
        {
            Changed();
            long r = Get(block);
            if (r < 0) return r;
            r = _xn.Write(block, offset, bytes, length);
            if (r == 0) _meta.Apply(block, offset, bytes, length);
            return XnErrors.ToErrno(r);
        }

        private long Alloc(uint parent, int offset, byte* bytes, int length, uint first, uint count, uint type)
        {
            Changed();
            long r = Get(parent);
            if (r < 0) return r;
            r = _xn.Alloc(parent, offset, bytes, length, first, count, type);
            if (r == (long)Error.TableFull)
            {
                _xn.Reclaim();
                r = Get(parent);
                if (r < 0) return r;
                r = _xn.Alloc(parent, offset, bytes, length, first, count, type);
            }
            if (r == 0)
            {
                _meta.Apply(parent, offset, bytes, length);
                _meta.Drop(first, count);
                _data.Drop(first, count);
            }
            return XnErrors.ToErrno(r);
        }

        /// <summary>XN's move; a block still in an earlier move (or a full log) waits for a sync once.</summary>
        private long MoveEntry(uint from, int fromOffset, byte* fromBytes, int fromLength, uint to, int toOffset, byte* toBytes, int toLength)
        {
            Changed();
            _extValid = false;
            long r = GetBoth(from, to);
            if (r < 0) return r;
            r = _xn.Move(from, fromOffset, fromBytes, fromLength, to, toOffset, toBytes, toLength);
            if (r == (long)Error.BlockInUse || r == (long)Error.TableFull)
            {
                _xn.Sync();
                r = GetBoth(from, to);
                if (r == 0) r = _xn.Move(from, fromOffset, fromBytes, fromLength, to, toOffset, toBytes, toLength);
            }
            if (r == 0)
            {
                _meta.Apply(from, fromOffset, fromBytes, fromLength);
                _meta.Apply(to, toOffset, toBytes, toLength);
            }
            return XnErrors.ToErrno(r);
        }

        /// <summary>Clears length bytes (8 at a time: a byte loop costs some 4 instructions a byte).</summary>
        private static void Zero(byte* p, int length)
        {
            int i = 0;
            for (; i + 8 <= length; i += 8) *(ulong*)(p + i) = 0;
            for (; i < length; i++) p[i] = 0;
        }

        /// <summary>Whether an entry (256 bytes) names any block.</summary>
        private static bool HasPointers(byte* entry)
        {
            for (int i = CffsLayout.ExtentOffset; i < CffsLayout.NameLength; i += 4)
                if (*(uint*)(entry + i) != 0) return true;
            return false;
        }

        private long FreeBlocks(uint parent, int offset, byte* bytes, int length, uint first, uint count)
        {
            Changed();
            long r = Get(parent);
            if (r < 0) return r;
            r = _xn.Free(parent, offset, bytes, length, first, count);
            if (r == (long)Error.BlockInUse)
            {
                _xn.Sync();                                     // blocks of a move XN has not finished
                r = Get(parent);
                if (r == 0) r = _xn.Free(parent, offset, bytes, length, first, count);
            }
            if (r == 0)
            {
                _meta.Apply(parent, offset, bytes, length);
                _meta.Drop(first, count);
                _data.Drop(first, count);
            }
            return XnErrors.ToErrno(r);
        }

        private uint U32(uint block, int offset)
        {
            byte* b = ReadBlock(block, out _);
            return b == null ? 0 : *(uint*)(b + offset);
        }

        private ulong U64(uint block, int offset)
        {
            byte* b = ReadBlock(block, out _);
            return b == null ? 0 : *(ulong*)(b + offset);
        }

        /// <summary>length bytes at offset of a metadata block, from the library's copy.</summary>
        private long ReadMeta(uint block, int offset, byte* into, int length)
        {
            byte* b = ReadBlock(block, out long r);
            if (b == null) return r;
            System.Buffer.MemoryCopy(b + offset, into, length, length);
            return 0;
        }

        private long SetU32(uint block, int offset, uint v) => Meta(block, offset, (byte*)&v, 4);
        private long SetU64(uint block, int offset, ulong v) => Meta(block, offset, (byte*)&v, 8);

        /// <summary>A metadata block's bytes: the library's copy (MetadataCache), made from XN's the
        /// first time. Null with -errno in error when XN cannot give it. The copy stays valid until the
        /// next change this instance makes (a copy's slot may be given to another block then).</summary>
        private byte* ReadBlock(uint block, out long error) => CachedBlock(_meta, block, out error);

        /// <summary>block's bytes from cache, copied in from XN the first time; null with -errno.</summary>
        private byte* CachedBlock(MetadataCache cache, uint block, out long error)
        {
            CheckGeneration();
            byte* copy = cache.Find(block);
            if (copy != null) { error = 0; return copy; }
            error = Get(block);
            if (error < 0) return null;
            copy = cache.Reserve(block);
            if (copy == null) { error = -(long)Errno.ENOMEM; return null; }
            error = XnErrors.ToErrno(_xn.Read(block, 0, copy, BlockSize));
            if (error < 0) return null;
            cache.Commit(block);
            return copy;
        }

        /// <summary>A run of free blocks at or after goal (wrapping), at most want long; its first block
        /// and length, or 0 when the disk is full. Blocks freed but not yet reusable are waited for once.</summary>
        private uint FindFree(uint goal, uint want, out uint got)
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                uint count = _xn.BlockCount, first = _xn.FirstBlock;
                if (goal < first || goal >= count) goal = first;
                for (uint n = 0, b = goal; n < count - first; n++)
                {
                    if (_xn.IsFree(b))
                    {
                        got = 1;
                        while (got < want && b + got < count && _xn.IsFree(b + got)) got++;
                        _cursor = b + got;
                        return b;
                    }
                    if (++b >= count) b = first;
                }
                _xn.Sync();                                     // free-pending blocks become free
            }
            got = 0;
            return 0;
        }

        // ------------------------------------------------------------------ paths

        private static bool IsDirectory(uint mode) => (mode & CffsLayout.TypeMask) == CffsLayout.Directory;
        private static bool IsSymlink(uint mode) => (mode & CffsLayout.TypeMask) == CffsLayout.Symlink;

        /// <summary>The inode's mode (0: no inode there).</summary>
        public uint ModeOf(Node n) => U32(n.Block, n.Slot * SlotSize + CffsLayout.Mode);

        /// <summary>A directory's first block.</summary>
        private uint FirstBlockOf(Node dir) => dir.Slot == 0 ? dir.Block : U32(dir.Block, dir.Slot * SlotSize + CffsLayout.ChildPointer);

        /// <summary>The inode an entry names (its own place, or the external inode).</summary>
        private Node InodeOf(uint block, int slot)
        {
            int at = slot * SlotSize;
            if ((U32(block, at + CffsLayout.Flags) & CffsLayout.External) == 0) return new Node(block, slot);
            uint ino = U32(block, at + CffsLayout.ExternalInode);
            return new Node(ino / CffsLayout.Slots, (int)(ino % CffsLayout.Slots));
        }

        /// <summary>The inode and mode of the entry FindEntry has just found, read from the copy of its
        /// block FindEntry left in _found (an external inode is read from its table).
        /// Precondition: nothing has read another block since FindEntry returned (b, slot).</summary>
        private Node FoundInode(uint b, int slot, out uint mode)
        {
            byte* entry = _found + slot * SlotSize;
            if ((*(uint*)(entry + CffsLayout.Flags) & CffsLayout.External) == 0)
            {
                mode = *(uint*)(entry + CffsLayout.Mode);
                return new Node(b, slot);
            }
            Node n = InodeOf(b, slot);
            mode = ModeOf(n);
            return n;
        }

        /// <summary>Finds name[start..end) in a directory: the entry's block and slot. Through the name
        /// index (the directory read whole into it the first time), else by a scan of the chain.</summary>
        private bool FindEntry(Node dir, string name, int start, int end, out uint block, out int slot)
        {
            uint first = FirstBlockOf(dir);
            if (first != 0 && Indexed(first))
            {
                int length = end - start;
                uint hash = DirectoryIndex.Hash(first, name, start, end);
                for (int c = _index.Next(first, hash, -1, out uint b, out int e); c >= 0; c = _index.Next(first, hash, c, out b, out e))
                {
                    byte* s = ReadBlock(b, out _);
                    if (s == null) continue;
                    if (Names(s + e * SlotSize, name, start, length)) { block = b; slot = e; _found = s; return true; }
                }
                block = 0;
                slot = 0;
                return false;
            }
            return ScanEntry(first, name, start, end, out block, out slot);
        }

        /// <summary>Whether a directory entry is in use and named name[start, start + length).</summary>
        private static bool Names(byte* entry, string name, int start, int length)
        {
            if (*(uint*)entry == 0 || entry[CffsLayout.NameLength] != length) return false;
            int i = 0;
            while (i < length && entry[CffsLayout.Name + i] == (byte)name[start + i]) i++;
            return i == length;
        }

        /// <summary>FindEntry by reading the chain from first.</summary>
        private bool ScanEntry(uint first, string name, int start, int end, out uint block, out int slot)
        {
            int length = end - start;
            uint next;
            for (uint b = first; b != 0; b = next)
            {
                byte* s = ReadBlock(b, out _);
                if (s == null) break;
                next = *(uint*)(s + CffsLayout.NextPointer);
                for (int e = 1; e < CffsLayout.Slots; e++)
                {
                    if (Names(s + e * SlotSize, name, start, length)) { block = b; slot = e; _found = s; return true; }
                }
            }
            block = 0;
            slot = 0;
            return false;
        }

        /// <summary>Whether the directory whose chain starts at first is in the name index, reading it
        /// into the index when it is not yet (false when its blocks cannot be read).</summary>
        private bool Indexed(uint first)
        {
            CheckGeneration();
            if (_index.IsIndexed(first)) return true;
            _index.Begin(first);
            uint hint = 0, next;
            for (uint b = first; b != 0; b = next)
            {
                byte* s = ReadBlock(b, out _);
                if (s == null || !_index.IsIndexed(first)) { _index.DropAll(); return false; }   // unreadable, or the volume moved meanwhile
                next = *(uint*)(s + CffsLayout.NextPointer);
                for (int e = 1; e < CffsLayout.Slots; e++)
                {
                    byte* entry = s + e * SlotSize;
                    if (*(uint*)entry == 0) { if (hint == 0) hint = b; continue; }
                    _index.Add(first, DirectoryIndex.Hash(first, entry + CffsLayout.Name, entry[CffsLayout.NameLength]), b, e);
                }
            }
            _index.SetHint(first, hint != 0 ? hint : first);
            return true;
        }

        /// <summary>The name index after a change to names in a directory (first: its first block):
        /// the entry at (block, slot) lost oldName[os..oe) (when oldName is set) and gained
        /// newName[ns..ne) (when newName is set).</summary>
        private void Renamed(uint first, uint block, int slot, string oldName, int os, int oe, string newName, int ns, int ne)
        {
            if (oldName != null)
            {
                _index.Remove(first, DirectoryIndex.Hash(first, oldName, os, oe), block, slot);
                _index.SetHint(first, block);
            }
            if (newName != null) _index.Add(first, DirectoryIndex.Hash(first, newName, ns, ne), block, slot);
        }

        /// <summary>A name-changing call's result; one that failed after XN may have taken part of it
        /// leaves the name index unsure, so it goes (rebuilt from the blocks when next searched).
        /// The errors listed are only given before a call changes anything.</summary>
        private long Settled(long r)
        {
            if (r >= 0) return r;
            switch ((Errno)(-r))
            {
                case Errno.ENOENT: case Errno.EEXIST: case Errno.ENOTDIR: case Errno.EISDIR: case Errno.ENOTEMPTY:
                case Errno.EBUSY: case Errno.ENAMETOOLONG: case Errno.ELOOP: case Errno.EPERM:
                    return r;                           // refused before anything changed
                default:
                    _index.DropAll();
                    return r;
            }
        }

        /// <summary>Is path[s..e) "." or ".." (never an entry's name: they are not stored)?</summary>
        private static bool IsDots(string path, int s, int e) =>
            (e - s == 1 && path[s] == '.') || (e - s == 2 && path[s] == '.' && path[s + 1] == '.');

        /// <summary>The parent directory of a directory (the root is its own).</summary>
        private Node ParentOf(Node dir)
        {
            if (dir.Slot == 0 && dir.Block == _root) return dir;
            uint parentFirst = U32(FirstBlockOf(dir), CffsLayout.Parent);
            uint self = U32(parentFirst, CffsLayout.Self);
            return new Node(self / CffsLayout.Slots, (int)(self % CffsLayout.Slots));
        }

        /// <summary>Resolves path from `from` (from the root when it begins with '/'): the directory
        /// holding its last component and that component's [start, end) in path (empty for "/");
        /// symbolic links on the way are followed (at most MaxSymlinks in all: ELOOP).</summary>
        private long WalkParent(Node from, string path, out Node dir, out int start, out int end, ref int links)
        {
            dir = path != null && path.Length > 0 && path[0] == '/' ? Root : from;
            start = end = 0;
            if (path == null || path.Length == 0) return -(long)Errno.ENOENT;
            int i = 0;
            while (true)
            {
                while (i < path.Length && path[i] == '/') i++;
                int s = i;
                while (i < path.Length && path[i] != '/') i++;
                int e = i;
                int j = i;
                while (j < path.Length && path[j] == '/') j++;
                if (e - s > CffsLayout.NameMax) return -(long)Errno.ENAMETOOLONG;
                if (j >= path.Length) { start = s; end = e; return 0; }
                if (e - s == 1 && path[s] == '.') continue;
                if (e - s == 2 && path[s] == '.' && path[s + 1] == '.') { dir = ParentOf(dir); continue; }
                if (!FindEntry(dir, path, s, e, out uint b, out int slot)) return -(long)Errno.ENOENT;
                Node n = FoundInode(b, slot, out uint mode);
                if (IsSymlink(mode))
                {
                    if (++links > MaxSymlinks) return -(long)Errno.ELOOP;
                    long r = Follow(n, dir, out Node target, ref links);
                    if (r < 0) return r;
                    n = target;
                    mode = ModeOf(n);
                }
                if (!IsDirectory(mode)) return -(long)Errno.ENOTDIR;
                dir = n;
            }
        }

        private long WalkParent(string path, out Node dir, out int start, out int end, ref int links) =>
            WalkParent(Root, path, out dir, out start, out end, ref links);

        /// <summary>The node a symbolic link at n (in directory dir) leads to.</summary>
        private long Follow(Node n, Node dir, out Node target, ref int links)
        {
            target = default;
            ulong size = U64(n.Block, n.Slot * SlotSize + CffsLayout.Size);
            if (size == 0 || size > BlockSize) return -(long)Errno.ENOENT;
            byte* text = stackalloc byte[(int)size];
            long r = ReadAt(n, 0, text, size);
            if (r < 0) return r;
            string linkPath = new string((sbyte*)text, 0, (int)r);
            r = WalkParent(dir, linkPath, out Node parent, out int s, out int e, ref links);
            if (r < 0) return r;
            return Last(parent, linkPath, s, e, true, out target, ref links);
        }

        /// <summary>The last component [s, e) of path in dir.</summary>
        private long Last(Node dir, string path, int s, int e, bool follow, out Node node, ref int links)
        {
            node = dir;
            if (e == s || (e - s == 1 && path[s] == '.')) return 0;
            if (e - s == 2 && path[s] == '.' && path[s + 1] == '.') { node = ParentOf(dir); return 0; }
            if (!FindEntry(dir, path, s, e, out uint b, out int slot)) return -(long)Errno.ENOENT;
            node = FoundInode(b, slot, out uint mode);
            if (follow && IsSymlink(mode))
            {
                if (++links > MaxSymlinks) return -(long)Errno.ELOOP;
                return Follow(node, dir, out node, ref links);
            }
            return 0;
        }

        /// <summary>The inode at path (following a final symbolic link when follow is set).</summary>
        public long Lookup(string path, bool follow, out Node node)
        {
            int links = 0;
            node = default;
            long r = WalkParent(path, out Node dir, out int s, out int e, ref links);
            if (r < 0) return r;
            return Last(dir, path, s, e, follow, out node, ref links);
        }

        // ------------------------------------------------------------------ attributes

        public long Stat(Node n, out FileStat st)
        {
            st = default;
            int at = n.Slot * SlotSize;
            byte* inode = stackalloc byte[104];
            long r = ReadMeta(n.Block, at, inode, 104);
            if (r < 0) return r;
            if (*(uint*)inode == 0) return -(long)Errno.ENOENT;
            st.Ino = CffsLayout.Ino(n.Block, n.Slot);
            st.Mode = *(uint*)(inode + CffsLayout.Mode);
            st.Uid = *(uint*)(inode + CffsLayout.Uid);
            st.Gid = *(uint*)(inode + CffsLayout.Gid);
            st.Nlink = *(uint*)(inode + CffsLayout.Nlink);
            st.Size = *(ulong*)(inode + CffsLayout.Size);
            st.Atime = *(ulong*)(inode + CffsLayout.Atime);
            st.Mtime = *(ulong*)(inode + CffsLayout.Mtime);
            st.Ctime = *(ulong*)(inode + CffsLayout.Ctime);
            if (!IsDirectory(st.Mode))
            {
                r = LoadExtents(n);
                if (r < 0) return r;
                for (int i = 0; i < _extCount; i++) st.Blocks += _ext[i].Count;
            }
            return 0;
        }

        public long Stat(string path, bool follow, out FileStat st)
        {
            st = default;
            long r = Lookup(path, follow, out Node n);
            return r < 0 ? r : Stat(n, out st);
        }

        public long Chmod(Node n, uint mode)
        {
            uint old = ModeOf(n);
            if (old == 0) return -(long)Errno.ENOENT;
            long r = SetU32(n.Block, n.Slot * SlotSize + CffsLayout.Mode, (old & CffsLayout.TypeMask) | (mode & 0xFFF));
            return r < 0 ? r : Touch(n, false, true);
        }

        public long Chown(Node n, uint uid, uint gid)
        {
            int at = n.Slot * SlotSize;
            long r = SetU32(n.Block, at + CffsLayout.Uid, uid);
            if (r == 0) r = SetU32(n.Block, at + CffsLayout.Gid, gid);
            return r < 0 ? r : Touch(n, false, true);
        }

        /// <summary>Sets the three times (seconds).</summary>
        public long SetTimes(Node n, ulong atime, ulong mtime)
        {
            ulong* t = stackalloc ulong[3];
            t[0] = atime; t[1] = mtime; t[2] = _xn.Now();
            return Meta(n.Block, n.Slot * SlotSize + CffsLayout.Atime, (byte*)t, 24);
        }

        private long Touch(Node n, bool modified, bool changed)
        {
            ulong now = _xn.Now();
            int at = n.Slot * SlotSize;
            if (modified && changed)
            {
                // Already this second's (a directory's creates and unlinks in a row): no write.
                byte* inode = ReadBlock(n.Block, out _);
                if (inode != null && *(ulong*)(inode + at + CffsLayout.Mtime) == now && *(ulong*)(inode + at + CffsLayout.Ctime) == now) return 0;
                ulong* times = stackalloc ulong[2];                 // mtime and ctime are adjacent
                times[0] = now; times[1] = now;
                return Meta(n.Block, at + CffsLayout.Mtime, (byte*)times, 16);
            }
            long r = 0;
            if (modified) r = SetU64(n.Block, at + CffsLayout.Mtime, now);
            if (r == 0 && changed) r = SetU64(n.Block, at + CffsLayout.Ctime, now);
            return r;
        }

        // ------------------------------------------------------------------ extents

        private long LoadExtents(Node n)
        {
            CheckGeneration();
            if (_extValid && _extNode.Block == n.Block && _extNode.Slot == n.Slot) return 0;
            _extValid = false;
            _extCount = 0;
            _listCount = 0;
            int at = n.Slot * SlotSize;
            byte* inode = ReadBlock(n.Block, out long r);
            if (inode == null) return r;
            inode += at;
            for (int e = 0; e < CffsLayout.Extents; e++)
            {
                int offset = CffsLayout.ExtentOffset + e * CffsLayout.ExtentSize;
                AddSlot(n.Block, at + offset, (uint*)(inode + offset));
            }
            uint list = *(uint*)(inode + CffsLayout.IndirectPointer);
            while (list != 0)
            {
                if (_listCount == _lists.Length) _lists = Grow(_lists);
                _lists[_listCount++] = list;
                byte* s = ReadBlock(list, out r);
                if (s == null) return r;
                for (int e = 0; e < CffsLayout.ListExtents; e++) AddSlot(list, e * CffsLayout.ExtentSize, (uint*)(s + e * CffsLayout.ExtentSize));
                list = *(uint*)(s + CffsLayout.ListNext);
            }
            _extNode = n;
            _extValid = true;
            return 0;
        }

        private void AddSlot(uint holder, int offset, uint* words)
        {
            if (_extCount == _ext.Length)
            {
                var bigger = new Extent[_ext.Length * 2];
                for (int i = 0; i < _extCount; i++) bigger[i] = _ext[i];
                _ext = bigger;
            }
            _ext[_extCount++] = new Extent { Holder = holder, Offset = offset, Start = words[0], Count = words[1], Logical = words[2] };
        }

        private static uint[] Grow(uint[] a)
        {
            var bigger = new uint[a.Length * 2];
            for (int i = 0; i < a.Length; i++) bigger[i] = a[i];
            return bigger;
        }

        /// <summary>The physical block of logical block l and how many follow it in the same extent
        /// (run); 0 for a hole, with run = the hole's length up to the next extent (or max).</summary>
        private uint Map(uint l, out uint run)
        {
            if (_lastHit < _extCount)
            {
                ref Extent h = ref _ext[_lastHit];
                if (h.Count != 0 && l >= h.Logical && l - h.Logical < h.Count) { run = h.Count - (l - h.Logical); return h.Start + (l - h.Logical); }
            }
            uint next = uint.MaxValue;
            for (int i = 0; i < _extCount; i++)
            {
                ref Extent x = ref _ext[i];
                if (x.Count == 0) continue;
                if (l >= x.Logical && l - x.Logical < x.Count) { _lastHit = i; run = x.Count - (l - x.Logical); return x.Start + (l - x.Logical); }
                if (x.Logical > l && x.Logical < next) next = x.Logical;
            }
            run = next - l;
            return 0;
        }

        /// <summary>Maps logical blocks [l, l + want) that are a hole; how many were mapped (at least 1)
        /// or -errno. end: where the write that needs them ends; when the extent lives in the inode
        /// itself, the size (raised to cover the new blocks, at most to end) and mtime and ctime go
        /// in the same checked change (AllocateInInode).</summary>
        private long Allocate(Node n, uint l, uint want, uint goal, ulong end)
        {
            if (want > AllocChunk) want = AllocChunk;
            // Grow the extent that ends at l, when the blocks after it are free.
            for (int i = 0; i < _extCount; i++)
            {
                ref Extent x = ref _ext[i];
                if (x.Count == 0 || x.Logical + x.Count != l) continue;
                uint start = x.Start + x.Count, got = 0;
                while (got < want && start + got < _xn.BlockCount && _xn.IsFree(start + got)) got++;
                if (got == 0) break;
                uint count = x.Count + got;
                long r = x.Holder == n.Block ? AllocateInInode(n, x.Offset + 4, (byte*)&count, 4, start, got, l, end)
                                             : Alloc(x.Holder, x.Offset + 4, (byte*)&count, 4, start, got, 0);
                if (r < 0) return r;
                x.Count = count;
                return got;
            }
            int free = -1;
            for (int i = 0; i < _extCount && free < 0; i++) if (_ext[i].Count == 0) free = i;
            if (free < 0)
            {
                long r = AddList(n, goal);
                if (r < 0) return r;
                free = _extCount - CffsLayout.ListExtents;
            }
            uint first = FindFree(goal, want, out uint n2);
            if (first == 0) return -(long)Errno.ENOSPC;
            uint* words = stackalloc uint[3];
            words[0] = first; words[1] = n2; words[2] = l;
            ref Extent slot = ref _ext[free];
            long a = slot.Holder == n.Block ? AllocateInInode(n, slot.Offset, (byte*)words, 12, first, n2, l, end)
                                            : Alloc(slot.Holder, slot.Offset, (byte*)words, 12, first, n2, 0);
            if (a < 0) return a;
            slot.Start = first; slot.Count = n2; slot.Logical = l;
            return n2;
        }

        /// <summary>An allocation whose change (length bytes at offset, an extent's words in the inode's
        /// own block) is widened to start at the size field: the size raised to cover logical blocks
        /// [l, l + count) (at most to end), mtime and ctime now, in one checked change with the
        /// extent, so a crash shows both or neither, and the size never maps past what is allocated.</summary>
        private long AllocateInInode(Node n, int offset, byte* bytes, int length, uint first, uint count, uint l, ulong end)
        {
            int from = n.Slot * SlotSize + CffsLayout.Size, span = offset + length - from;
            byte* change = stackalloc byte[CffsLayout.ExtentOffset + CffsLayout.Extents * CffsLayout.ExtentSize];
            if (span <= 0 || span > CffsLayout.ExtentOffset + CffsLayout.Extents * CffsLayout.ExtentSize - CffsLayout.Size)
                return Alloc(n.Block, offset, bytes, length, first, count, 0);
            long r = ReadMeta(n.Block, from, change, span);
            if (r < 0) return r;
            ulong covered = ((ulong)l + count) * BlockSize, size = end < covered ? end : covered;
            if (size > *(ulong*)change) *(ulong*)change = size;
            ulong now = _xn.Now();
            *(ulong*)(change + CffsLayout.Mtime - CffsLayout.Size) = now;
            *(ulong*)(change + CffsLayout.Ctime - CffsLayout.Size) = now;
            for (int i = 0; i < length; i++) change[offset - from + i] = bytes[i];
            return Alloc(n.Block, from, change, span, first, count, 0);
        }

        /// <summary>Appends an empty extent block to the inode's chain.</summary>
        private long AddList(Node n, uint goal)
        {
            uint block = FindFree(goal, 1, out _);
            if (block == 0) return -(long)Errno.ENOSPC;
            uint parent = _listCount == 0 ? n.Block : _lists[_listCount - 1];
            int offset = _listCount == 0 ? n.Slot * SlotSize + CffsLayout.IndirectPointer : CffsLayout.ListNext;
            long r = Alloc(parent, offset, (byte*)&block, 4, block, 1, _typeX);
            if (r < 0) return r;
            if (_listCount == _lists.Length) _lists = Grow(_lists);
            _lists[_listCount++] = block;
            uint* zero = stackalloc uint[3];
            zero[0] = zero[1] = zero[2] = 0;
            for (int e = 0; e < CffsLayout.ListExtents; e++) AddSlot(block, e * CffsLayout.ExtentSize, zero);
            return 0;
        }

        /// <summary>The physical block holding logical block l of n (0: a hole): for checks and tools.</summary>
        public uint PhysicalBlock(Node n, uint l)
        {
            if (LoadExtents(n) < 0) return 0;
            return Map(l, out _);
        }

        // ------------------------------------------------------------------ data

        /// <summary>Reads up to length bytes at offset; how many (0 at or past the end).</summary>
        public long ReadAt(Node n, ulong offset, byte* into, ulong length)
        {
            int at = n.Slot * SlotSize;
            uint mode = ModeOf(n);
            if (mode == 0) return -(long)Errno.ENOENT;
            if (IsDirectory(mode)) return -(long)Errno.EISDIR;
            ulong size = U64(n.Block, at + CffsLayout.Size);
            if (offset >= size) return 0;
            if (length > size - offset) length = size - offset;
            long r = LoadExtents(n);
            if (r < 0) return r;
            ulong done = 0;
            while (done < length)
            {
                ulong pos = offset + done;
                uint l = (uint)(pos / BlockSize);
                int within = (int)(pos % BlockSize);
                uint p = Map(l, out uint run);
                ulong span = (ulong)run * BlockSize - (ulong)within;
                if (span > length - done) span = length - done;
                if (p == 0)
                {
                    for (ulong i = 0; i < span; i++) into[done + i] = 0;
                    done += span;
                    continue;
                }
                // one block at a time within the run
                ulong chunk = (ulong)(BlockSize - within);
                if (chunk > length - done) chunk = length - done;
                if (size <= SmallFile)
                {
                    byte* copy = DataBlock(p, out r);
                    if (copy == null) return r;
                    System.Buffer.MemoryCopy(copy + within, into + done, (long)chunk, (long)chunk);
                    done += chunk;
                    continue;
                }
                r = Get(p);
                if (r < 0) return r;
                r = _xn.Read(p, within, into + done, (int)chunk);
                if (r < 0) return XnErrors.ToErrno(r);
                done += chunk;
            }
            return (long)done;
        }

        /// <summary>A small file's data block: the library's copy (made from XN's the first time).</summary>
        private byte* DataBlock(uint block, out long error) => CachedBlock(_data, block, out error);

        /// <summary>Writes length bytes at offset, growing the file (holes stay unallocated); how many
        /// were written (fewer when the disk fills: ENOSPC when none).</summary>
        public long WriteAt(Node n, ulong offset, byte* bytes, ulong length)
        {
            int at = n.Slot * SlotSize;
            uint mode = ModeOf(n);
            if (mode == 0) return -(long)Errno.ENOENT;
            if (IsDirectory(mode)) return -(long)Errno.EISDIR;
            if (offset > CffsLayout.MaxFileSize || length > CffsLayout.MaxFileSize - offset) return -(long)Errno.EFBIG;
            long r = LoadExtents(n);
            if (r < 0) return r;
            if (length > 0) Changed();                      // other processes' copies of the data go
            ulong done = 0;
            uint goal = n.Block + 1;
            long failure = 0;
            while (done < length)
            {
                ulong pos = offset + done;
                uint l = (uint)(pos / BlockSize);
                int within = (int)(pos % BlockSize);
                uint p = Map(l, out uint run);
                if (p == 0)
                {
                    ulong last = (offset + length - 1) / BlockSize;
                    ulong need = last - l + 1;
                    if (need > run) need = run;
                    uint prev = l > 0 ? Map(l - 1, out _) : 0;
                    r = Allocate(n, l, (uint)(need > AllocChunk ? AllocChunk : need), prev != 0 ? prev + 1 : goal, offset + length);
                    if (r < 0) { failure = r; break; }
                    p = Map(l, out run);
                }
                goal = p + 1;
                ulong chunk = (ulong)(BlockSize - within);
                if (chunk > length - done) chunk = length - done;
                if (chunk != BlockSize)
                {
                    r = Get(p);
                    if (r < 0) { failure = r; break; }
                }
                r = _xn.Write(p, within, bytes + done, (int)chunk);
                if (r == (long)Error.TableFull) { _xn.Reclaim(); r = _xn.Write(p, within, bytes + done, (int)chunk); }
                if (r == (long)Error.NotInCore) { r = Get(p); if (r == 0) r = _xn.Write(p, within, bytes + done, (int)chunk); }
                if (r < 0) { failure = XnErrors.ToErrno(r); break; }
                _data.Apply(p, within, bytes + done, (int)chunk);
                done += chunk;
            }
            if (done > 0)
            {
                // size, atime, mtime, ctime are adjacent: one read, one checked write
                ulong* fields = stackalloc ulong[4];
                if (ReadMeta(n.Block, at + CffsLayout.Size, (byte*)fields, 32) == 0)
                {
                    ulong now = _xn.Now();
                    bool current = fields[0] >= offset + done && fields[2] == now && fields[3] == now;   // an allocation just wrote them
                    if (offset + done > fields[0]) fields[0] = offset + done;
                    fields[2] = now; fields[3] = now;
                    if (!current) Meta(n.Block, at + CffsLayout.Size, (byte*)fields, 32);
                }
                return (long)done;
            }
            return failure;
        }

        /// <summary>Sets the size: shrinking frees whole blocks past it, the highest first, each free
        /// of an extent in the entry carrying the lowered size in the same checked change (so a crash
        /// leaves a shorter file and never a block mapped past the size), and zeroes the rest of the
        /// last one; growing leaves a hole.</summary>
        public long Truncate(Node n, ulong size)
        {
            int at = n.Slot * SlotSize;
            uint mode = ModeOf(n);
            if (mode == 0) return -(long)Errno.ENOENT;
            if (IsDirectory(mode)) return -(long)Errno.EISDIR;
            if (size > CffsLayout.MaxFileSize) return -(long)Errno.EFBIG;
            ulong old = U64(n.Block, at + CffsLayout.Size);
            long r;
            if (size >= old)
            {
                r = SetU64(n.Block, at + CffsLayout.Size, size);
                if (r < 0) return r;
            }
            else
            {
                r = LoadExtents(n);
                if (r < 0) return r;
                ulong keepBlocks = (size + BlockSize - 1) / BlockSize, current = old;
                uint* zero = stackalloc uint[3];
                zero[0] = zero[1] = zero[2] = 0;
                byte* change = stackalloc byte[CffsLayout.ExtentOffset + CffsLayout.Extents * CffsLayout.ExtentSize];
                while (true)
                {
                    // The extent that maps the highest blocks past the new size goes first, so at
                    // every step the size on disk covers no freed block and maps none past it.
                    int last = -1;
                    for (int i = 0; i < _extCount; i++)
                    {
                        ref Extent c = ref _ext[i];
                        if (c.Count == 0 || c.Logical + (ulong)c.Count <= keepBlocks) continue;
                        if (last < 0 || c.Logical > _ext[last].Logical) last = i;
                    }
                    if (last < 0) break;
                    ref Extent x = ref _ext[last];
                    uint keep = x.Logical >= keepBlocks ? 0 : (uint)(keepBlocks - x.Logical);
                    ulong boundary = (ulong)(x.Logical + keep) * BlockSize;
                    ulong shorter = boundary < size ? size : boundary < current ? boundary : current;
                    if (x.Holder == n.Block)
                    {
                        // In the entry: one checked free whose change runs from the size field to the
                        // extent's end, the size lowered and the extent dropped or cut together.
                        int from = at + CffsLayout.Size, length = x.Offset + CffsLayout.ExtentSize - from;
                        r = ReadMeta(n.Block, from, change, length);
                        if (r < 0) return r;
                        *(ulong*)change = shorter;
                        uint* fields = (uint*)(change + x.Offset - from);
                        if (keep == 0) fields[0] = fields[1] = fields[2] = 0;
                        else fields[1] = keep;
                        r = FreeBlocks(n.Block, from, change, length, x.Start + keep, x.Count - keep);
                        if (r < 0) return r;
                    }
                    else
                    {
                        // In an extent block: freed first, then the size (a cut between leaves a hole).
                        r = keep == 0 ? FreeBlocks(x.Holder, x.Offset, (byte*)zero, 12, x.Start, x.Count)
                                      : FreeBlocks(x.Holder, x.Offset + 4, (byte*)&keep, 4, x.Start + keep, x.Count - keep);
                        if (r == 0 && shorter < current) r = SetU64(n.Block, at + CffsLayout.Size, shorter);
                        if (r < 0) return r;
                    }
                    current = shorter;
                    if (keep == 0) x.Start = x.Count = x.Logical = 0;
                    else x.Count = keep;
                }
                if (current != size)
                {
                    r = SetU64(n.Block, at + CffsLayout.Size, size);
                    if (r < 0) return r;
                }
                int tail = (int)(size % BlockSize);
                if (tail != 0)
                {
                    uint p = Map((uint)(size / BlockSize), out _);
                    if (p != 0)
                    {
                        r = Get(p);
                        if (r < 0) return r;
                        byte* zeros = stackalloc byte[BlockSize - tail];
                        Zero(zeros, BlockSize - tail);
                        r = XnErrors.ToErrno(_xn.Write(p, tail, zeros, BlockSize - tail));
                        if (r < 0) return r;
                        _data.Apply(p, tail, zeros, BlockSize - tail);
                    }
                }
            }
            return Touch(n, true, true);
        }

        /// <summary>Frees all of an inode's blocks: data, then its extent blocks from the last.</summary>
        private long Release(Node n)
        {
            long r = Truncate(n, 0);
            if (r < 0) return r;
            r = LoadExtents(n);
            if (r < 0) return r;
            for (int k = _listCount - 1; k >= 0; k--)
            {
                uint parent = k == 0 ? n.Block : _lists[k - 1];
                int offset = k == 0 ? n.Slot * SlotSize + CffsLayout.IndirectPointer : CffsLayout.ListNext;
                uint zero = 0;
                r = FreeBlocks(parent, offset, (byte*)&zero, 4, _lists[k], 1);
                if (r < 0) return r;
            }
            _extValid = false;
            return 0;
        }

        // ------------------------------------------------------------------ directories

        /// <summary>A free slot in directory dir (a new block is chained on when all are used).</summary>
        private long FreeSlot(Node dir, out uint block, out int slot) => FreeSlot(dir, null, 0, 0, out block, out slot);

        /// <summary>A free slot in directory dir, first making sure no entry is named name[start..end)
        /// when name is not null (EEXIST). With the name index, the search for a free slot starts at
        /// the directory's hint (where one was last found or made) and wraps; without, one scan does both.</summary>
        private long FreeSlot(Node dir, string name, int start, int end, out uint block, out int slot)
        {
            uint first = FirstBlockOf(dir);
            slot = 0;
            block = 0;
            if (first == 0 || !Indexed(first)) return ScanFreeSlot(first, name, start, end, out block, out slot);
            if (name != null && FindEntry(dir, name, start, end, out _, out _)) return -(long)Errno.EEXIST;
            uint hint = _index.Hint(first), last = 0, next;
            if (hint == 0) hint = first;
            for (int pass = 0; pass < 2; pass++)
            {
                for (uint b = pass == 0 ? hint : first; b != 0; b = next)
                {
                    if (pass == 1 && b == hint) break;
                    byte* s = ReadBlock(b, out long r);
                    if (s == null) return r;
                    for (int e = 1; e < CffsLayout.Slots; e++)
                        if (*(uint*)(s + e * SlotSize) == 0)
                        {
                            block = b;
                            slot = e;
                            _index.SetHint(first, b);
                            return 0;
                        }
                    next = *(uint*)(s + CffsLayout.NextPointer);
                    if (pass == 0 && next == 0) last = b;
                }
            }
            long a = Chain(last, out block);
            if (a < 0) return a;
            _index.SetHint(first, block);
            slot = 1;
            return 0;
        }

        /// <summary>FreeSlot by one scan of the whole chain.</summary>
        private long ScanFreeSlot(uint first, string name, int start, int end, out uint block, out int slot)
        {
            uint last = 0, freeBlock = 0;
            int freeSlot = 0, length = end - start;
            slot = 0;
            uint next;
            for (block = first; block != 0; block = next)
            {
                byte* s = ReadBlock(block, out long r);
                if (s == null) return r;
                for (int e = 1; e < CffsLayout.Slots; e++)
                {
                    byte* entry = s + e * SlotSize;
                    if (*(uint*)entry == 0)
                    {
                        if (freeBlock == 0) { freeBlock = block; freeSlot = e; }
                        if (name == null) break;
                        continue;
                    }
                    if (name == null || entry[CffsLayout.NameLength] != length) continue;
                    int i = 0;
                    while (i < length && entry[CffsLayout.Name + i] == (byte)name[start + i]) i++;
                    if (i == length) return -(long)Errno.EEXIST;
                }
                next = *(uint*)(s + CffsLayout.NextPointer);
                last = block;
                if (name == null && freeBlock != 0) break;
            }
            if (freeBlock != 0) { block = freeBlock; slot = freeSlot; return 0; }
            slot = 1;
            return Chain(last, out block);
        }

        /// <summary>Chains a new, empty block after last, the directory's last block.</summary>
        private long Chain(uint last, out uint block)
        {
            block = 0;
            uint fresh = FindFree(last + 1, 1, out _);
            if (fresh == 0) return -(long)Errno.ENOSPC;
            long a = Alloc(last, CffsLayout.NextPointer, (byte*)&fresh, 4, fresh, 1, _typeD);
            if (a < 0) return a;
            a = WriteHeader(fresh, U32(last, CffsLayout.Parent), U32(last, CffsLayout.Self), _typeD, _typeX, _typeI);
            if (a < 0) return a;
            block = fresh;
            return 0;
        }

        private static void MakeName(byte* entry, string path, int s, int e)
        {
            entry[CffsLayout.NameLength] = (byte)(e - s);
            for (int i = 0; i < e - s; i++) entry[CffsLayout.Name + i] = (byte)path[s + i];
        }

        /// <summary>Makes an entry at path: a file, symbolic link (mode's type), or directory (which
        /// gets its first block in the same checked call).</summary>
        private long Make(string path, uint mode, uint uid, uint gid, out Node node)
        {
            node = default;
            int links = 0;
            long r = WalkParent(path, out Node dir, out int s, out int e, ref links);
            if (r < 0) return r;
            if (e == s || IsDots(path, s, e)) return -(long)Errno.EEXIST;
            for (int i = s; i < e; i++) if (path[i] > 255) return -(long)Errno.EINVAL;
            r = FreeSlot(dir, path, s, e, out uint block, out int slot);
            if (r < 0) return r;
            byte* entry = stackalloc byte[SlotSize];
            Zero(entry, SlotSize);
            bool directory = IsDirectory(mode);
            MakeInode(entry, mode, uid, gid, directory ? 2u : 1u);
            MakeName(entry, path, s, e);
            node = new Node(block, slot);
            uint first = FirstBlockOf(dir);
            if (!directory)
            {
                r = Meta(block, slot * SlotSize, entry, SlotSize);
                if (r == 0) Renamed(first, block, slot, null, 0, 0, path, s, e);
                return r;
            }
            uint child = FindFree(block + 1, 1, out _);
            if (child == 0) return -(long)Errno.ENOSPC;
            *(uint*)(entry + CffsLayout.ChildPointer) = child;
            r = Alloc(block, slot * SlotSize, entry, SlotSize, child, 1, _typeD);
            if (r < 0) return r;
            Renamed(first, block, slot, null, 0, 0, path, s, e);
            r = WriteHeader(child, FirstBlockOf(dir), CffsLayout.Ino(block, slot), _typeD, _typeX, _typeI);
            if (r < 0) return r;
            return Touch(dir, true, true);
        }

        public long Create(string path, uint mode, uint uid, uint gid, out Node node) =>
            Settled(Make(path, CffsLayout.Regular | (mode & 0xFFF), uid, gid, out node));

        public long Mkdir(string path, uint mode, uint uid = 0, uint gid = 0) =>
            Settled(Make(path, CffsLayout.Directory | (mode & 0xFFF), uid, gid, out _));

        public long Symlink(string target, string path, uint uid = 0, uint gid = 0)
        {
            if (target == null || target.Length == 0) return -(long)Errno.ENOENT;
            if (target.Length > BlockSize) return -(long)Errno.ENAMETOOLONG;
            long r = Settled(Make(path, CffsLayout.Symlink | 0x1FF, uid, gid, out Node n));
            if (r < 0) return r;
            byte* text = stackalloc byte[target.Length];
            for (int i = 0; i < target.Length; i++) text[i] = (byte)target[i];
            r = WriteAt(n, 0, text, (ulong)target.Length);
            return r < 0 ? r : 0;
        }

        /// <summary>A symbolic link's target into buffer; its length.</summary>
        public long ReadLink(string path, byte* buffer, int length)
        {
            long r = Lookup(path, false, out Node n);
            if (r < 0) return r;
            if (!IsSymlink(ModeOf(n))) return -(long)Errno.EINVAL;
            return ReadAt(n, 0, buffer, (ulong)length);
        }

        /// <summary>The entry after cookie in dir (cookie 0 starts; it advances): its name, inode and
        /// mode. 1 for an entry, 0 at the end. "." and ".." are not stored.</summary>
        public long ReadDir(Node dir, ref ulong cookie, byte* name, out int nameLength, out ulong ino, out uint mode)
        {
            nameLength = 0; ino = 0; mode = 0;
            if (!IsDirectory(ModeOf(dir))) return -(long)Errno.ENOTDIR;
            ulong index = 0;
            for (uint b = FirstBlockOf(dir); b != 0; b = U32(b, CffsLayout.NextPointer), index++)
            {
                if ((index + 1) * CffsLayout.Slots <= cookie) continue;
                byte* s = ReadBlock(b, out long r);
                if (s == null) return r;
                int first = cookie > index * CffsLayout.Slots ? (int)(cookie - index * CffsLayout.Slots) : 1;
                for (int e = first; e < CffsLayout.Slots; e++)
                {
                    byte* entry = s + e * SlotSize;
                    if (*(uint*)entry == 0) continue;
                    nameLength = entry[CffsLayout.NameLength];
                    for (int i = 0; i < nameLength; i++) name[i] = entry[CffsLayout.Name + i];
                    mode = *(uint*)entry;
                    Node n = InodeOf(b, e);
                    ino = CffsLayout.Ino(n.Block, n.Slot);
                    cookie = index * CffsLayout.Slots + (ulong)e + 1;
                    return 1;
                }
            }
            return 0;
        }

        private bool IsEmpty(Node dir)
        {
            ulong cookie = 0;
            byte* name = stackalloc byte[CffsLayout.NameMax];
            return ReadDir(dir, ref cookie, name, out _, out _, out _) == 0;
        }

        /// <summary>Removes the entry for path: a non-directory (unlink) or an empty directory (rmdir).</summary>
        private long Remove(string path, bool directory)
        {
            int links = 0;
            long r = WalkParent(path, out Node dir, out int s, out int e, ref links);
            if (r < 0) return r;
            if (e == s) return directory ? -(long)Errno.EBUSY : -(long)Errno.EISDIR;
            if ((e - s == 1 && path[s] == '.') || (e - s == 2 && path[s] == '.' && path[s + 1] == '.')) return -(long)Errno.EINVAL;
            if (!FindEntry(dir, path, s, e, out uint block, out int slot)) return -(long)Errno.ENOENT;
            r = RemoveEntry(dir, block, slot, directory);
            return r < 0 ? r : Touch(dir, true, true);
        }

        /// <summary>RemoveEntryCore, the name index following what it did to the entry (gone or not,
        /// whatever the result).</summary>
        private long RemoveEntry(Node dir, uint block, int slot, bool directory)
        {
            uint first = FirstBlockOf(dir);
            byte* s = ReadBlock(block, out long r);
            if (s == null) return r;
            byte* entry = s + slot * SlotSize;
            uint hash = DirectoryIndex.Hash(first, entry + CffsLayout.Name, entry[CffsLayout.NameLength]);
            r = RemoveEntryCore(dir, block, slot, directory);
            s = ReadBlock(block, out _);
            if (s == null || *(uint*)(s + slot * SlotSize) == 0)
            {
                if (directory || s == null) _index.DropAll();       // the removed directory's own index too
                else
                {
                    _index.Remove(first, hash, block, slot);
                    _index.SetHint(first, block);
                }
            }
            return r;
        }

        private long RemoveEntryCore(Node dir, uint block, int slot, bool directory)
        {
            Node n = InodeOf(block, slot);
            uint mode = ModeOf(n);
            if (IsDirectory(mode) != directory) return directory ? -(long)Errno.ENOTDIR : -(long)Errno.EISDIR;
            byte* zero = stackalloc byte[SlotSize];
            Zero(zero, SlotSize);
            long r;
            if (directory)
            {
                if (!IsEmpty(n)) return -(long)Errno.ENOTEMPTY;
                uint first = FirstBlockOf(n);
                r = FreeChain(first);
                if (r < 0) return r;
                return FreeBlocks(block, slot * SlotSize, zero, SlotSize, first, 1);
            }
            if (n.Block != block || n.Slot != slot)
            {
                uint nlink = U32(n.Block, n.Slot * SlotSize + CffsLayout.Nlink);
                r = Meta(block, slot * SlotSize, zero, SlotSize);             // the entry (no pointers)
                if (r < 0) return r;
                if (nlink > 1) return SetU32(n.Block, n.Slot * SlotSize + CffsLayout.Nlink, nlink - 1);
            }
            else
            {
                // An embedded inode whose blocks are one extent in its entry (most small files):
                // the entry cleared and the extent freed by one checked change, atomic across a crash.
                r = LoadExtents(n);
                if (r < 0) return r;
                int used = -1, extents = 0;
                for (int i = 0; i < _extCount; i++)
                    if (_ext[i].Count != 0) { used = i; extents++; }
                if (_listCount == 0 && extents <= 1)
                {
                    _extValid = false;
                    if (extents == 0) return Meta(block, slot * SlotSize, zero, SlotSize);
                    return FreeBlocks(block, slot * SlotSize, zero, SlotSize, _ext[used].Start, _ext[used].Count);
                }
            }
            r = Release(n);
            if (r < 0) return r;
            return Meta(n.Block, n.Slot * SlotSize, zero, SlotSize);
        }

        /// <summary>Frees the blocks chained after a directory's (empty) first block, last first.</summary>
        private long FreeChain(uint first)
        {
            while (true)
            {
                uint prev = first, b = U32(first, CffsLayout.NextPointer);
                if (b == 0) return 0;
                uint next;
                while ((next = U32(b, CffsLayout.NextPointer)) != 0) { prev = b; b = next; }
                uint zero = 0;
                long r = FreeBlocks(prev, CffsLayout.NextPointer, (byte*)&zero, 4, b, 1);
                if (r < 0) return r;
            }
        }

        public long Unlink(string path) => Settled(Remove(path, false));
        public long Rmdir(string path) => Settled(Remove(path, true));

        // ------------------------------------------------------------------ links and renames

        /// <summary>A free slot in the inode table (a table block is chained on when all are used).</summary>
        private long FreeInodeSlot(out uint block, out int slot)
        {
            uint last = _root;
            int offset = CffsLayout.TablePointer;
            slot = 0;
            for (block = U32(_root, CffsLayout.TablePointer); block != 0; block = U32(block, CffsLayout.NextPointer))
            {
                byte* s = ReadBlock(block, out long r);
                if (s == null) return r;
                for (int e = 1; e < CffsLayout.Slots; e++)
                    if (*(uint*)(s + e * SlotSize) == 0) { slot = e; return 0; }
                last = block;
                offset = CffsLayout.NextPointer;
            }
            uint fresh = FindFree(_root + 1, 1, out _);
            if (fresh == 0) return -(long)Errno.ENOSPC;
            long a = Alloc(last, offset, (byte*)&fresh, 4, fresh, 1, _typeI);
            if (a < 0) return a;
            uint magic = CffsLayout.Magic;
            a = Meta(fresh, CffsLayout.HeaderMagic, (byte*)&magic, 4);
            if (a < 0) return a;
            block = fresh;
            slot = 1;
            return 0;
        }

        /// <summary>Moves an embedded inode into the inode table, its entry naming it from then on:
        /// one XN move carries its pointers from the entry to the table's slot, so a crash leaves
        /// the file whole under one of the two.</summary>
        private long Externalise(uint block, int slot, out Node external)
        {
            external = default;
            long r = FreeInodeSlot(out uint tb, out int ts);
            if (r < 0) return r;
            byte* entry = stackalloc byte[SlotSize];
            r = ReadMeta(block, slot * SlotSize, entry, SlotSize);
            if (r < 0) return r;
            byte* inode = stackalloc byte[CffsLayout.NameLength];
            for (int i = 0; i < CffsLayout.NameLength; i++) inode[i] = entry[i];
            *(uint*)(inode + CffsLayout.ExternalInode) = 0;
            *(uint*)(inode + CffsLayout.Flags) = 0;
            byte* reference = stackalloc byte[CffsLayout.NameLength - CffsLayout.ExternalInode];
            for (int i = 0; i < CffsLayout.NameLength - CffsLayout.ExternalInode; i++) reference[i] = 0;
            *(uint*)reference = (uint)CffsLayout.Ino(tb, ts);
            *(uint*)(reference + 4) = CffsLayout.External;
            if (HasPointers(entry))
                r = MoveEntry(block, slot * SlotSize + CffsLayout.ExternalInode, reference, CffsLayout.NameLength - CffsLayout.ExternalInode,
                              tb, ts * SlotSize, inode, CffsLayout.NameLength);
            else
            {
                r = Meta(tb, ts * SlotSize, inode, CffsLayout.NameLength);
                if (r == 0) r = Meta(block, slot * SlotSize + CffsLayout.ExternalInode, reference, CffsLayout.NameLength - CffsLayout.ExternalInode);
            }
            external = new Node(tb, ts);
            return r;
        }

        /// <summary>A new name for an existing file (not a directory).</summary>
        public long Link(string existing, string path) => Settled(LinkCore(existing, path));

        private long LinkCore(string existing, string path)
        {
            int links = 0;
            long r = WalkParent(existing, out Node odir, out int os, out int oe, ref links);
            if (r < 0) return r;
            if (!FindEntry(odir, existing, os, oe, out uint ob, out int oslot)) return -(long)Errno.ENOENT;
            Node n = InodeOf(ob, oslot);
            uint mode = ModeOf(n);
            if (IsDirectory(mode)) return -(long)Errno.EPERM;
            links = 0;
            r = WalkParent(path, out Node dir, out int s, out int e, ref links);
            if (r < 0) return r;
            if (e == s || IsDots(path, s, e) || FindEntry(dir, path, s, e, out _, out _)) return -(long)Errno.EEXIST;
            if (n.Block == ob && n.Slot == oslot)
            {
                r = Externalise(ob, oslot, out n);
                if (r < 0) return r;
            }
            uint nlink = U32(n.Block, n.Slot * SlotSize + CffsLayout.Nlink);
            r = SetU32(n.Block, n.Slot * SlotSize + CffsLayout.Nlink, nlink + 1);
            if (r < 0) return r;
            return AddReference(dir, path, s, e, n, mode);
        }

        private long AddReference(Node dir, string path, int s, int e, Node n, uint mode)
        {
            long r = FreeSlot(dir, out uint block, out int slot);
            if (r < 0) return r;
            byte* entry = stackalloc byte[SlotSize];
            Zero(entry, SlotSize);
            *(uint*)(entry + CffsLayout.Mode) = mode;
            *(uint*)(entry + CffsLayout.ExternalInode) = (uint)CffsLayout.Ino(n.Block, n.Slot);
            *(uint*)(entry + CffsLayout.Flags) = CffsLayout.External;
            MakeName(entry, path, s, e);
            r = Meta(block, slot * SlotSize, entry, SlotSize);
            if (r < 0) return r;
            Renamed(FirstBlockOf(dir), block, slot, null, 0, 0, path, s, e);
            return Touch(dir, true, true);
        }

        /// <summary>Renames from to to, replacing a file or empty directory there. Within one directory
        /// it is one checked write of one block; into another, one XN move of the whole entry: both
        /// atomic across a crash (a replaced target is removed first).</summary>
        public long Rename(string from, string to) => Settled(RenameCore(from, to));

        private long RenameCore(string from, string to)
        {
            int links = 0;
            long r = WalkParent(from, out Node odir, out int os, out int oe, ref links);
            if (r < 0) return r;
            if (oe == os || IsDots(from, os, oe)) return -(long)Errno.EBUSY;
            if (!FindEntry(odir, from, os, oe, out uint ob, out int oslot)) return -(long)Errno.ENOENT;
            links = 0;
            r = WalkParent(to, out Node dir, out int s, out int e, ref links);
            if (r < 0) return r;
            if (e == s || IsDots(to, s, e)) return -(long)Errno.EBUSY;
            for (int i = s; i < e; i++) if (to[i] > 255) return -(long)Errno.EINVAL;
            Node n = InodeOf(ob, oslot);
            uint mode = ModeOf(n);
            bool sameDir = FirstBlockOf(dir) == FirstBlockOf(odir);
            if (IsDirectory(mode) && !sameDir)
            {
                for (Node up = dir; ; up = ParentOf(up))      // into itself?
                {
                    if (up.Block == n.Block && up.Slot == n.Slot) return -(long)Errno.EINVAL;
                    if (up.Block == _root && up.Slot == 0) break;
                }
            }
            if (FindEntry(dir, to, s, e, out uint tb, out int tslot))
            {
                if (tb == ob && tslot == oslot) return 0;
                Node t = InodeOf(tb, tslot);
                if (t.Block == n.Block && t.Slot == n.Slot) return 0;   // two links to one inode
                uint tmode = ModeOf(t);
                if (IsDirectory(tmode) && !IsDirectory(mode)) return -(long)Errno.EISDIR;
                if (!IsDirectory(tmode) && IsDirectory(mode)) return -(long)Errno.ENOTDIR;
                r = RemoveEntry(dir, tb, tslot, IsDirectory(tmode));
                if (r < 0) return r;
            }
            if (sameDir)
            {
                byte* name = stackalloc byte[1 + CffsLayout.NameMax];
                for (int i = 0; i <= CffsLayout.NameMax; i++) name[i] = 0;
                name[0] = (byte)(e - s);
                for (int i = 0; i < e - s; i++) name[1 + i] = (byte)to[s + i];
                r = Meta(ob, oslot * SlotSize + CffsLayout.NameLength, name, 1 + CffsLayout.NameMax);
                if (r < 0) return r;
                Renamed(FirstBlockOf(odir), ob, oslot, from, os, oe, to, s, e);
                return Touch(odir, true, true);
            }
            // Another directory: the whole entry (its embedded inode and pointers) moves in one XN
            // move, atomic across a crash; an entry with no pointers is written anew, then cleared.
            byte* entry = stackalloc byte[SlotSize];
            byte* zero = stackalloc byte[SlotSize];
            Zero(zero, SlotSize);
            r = ReadMeta(ob, oslot * SlotSize, entry, SlotSize);
            if (r < 0) return r;
            for (int i = CffsLayout.NameLength; i < SlotSize; i++) entry[i] = 0;
            MakeName(entry, to, s, e);
            r = FreeSlot(dir, out uint nb, out int nslot);
            if (r < 0) return r;
            if (HasPointers(entry)) r = MoveEntry(ob, oslot * SlotSize, zero, SlotSize, nb, nslot * SlotSize, entry, SlotSize);
            else
            {
                r = Meta(nb, nslot * SlotSize, entry, SlotSize);
                if (r == 0) r = Meta(ob, oslot * SlotSize, zero, SlotSize);
            }
            if (r < 0) return r;
            Renamed(FirstBlockOf(odir), ob, oslot, from, os, oe, null, 0, 0);
            Renamed(FirstBlockOf(dir), nb, nslot, null, 0, 0, to, s, e);
            if (IsDirectory(mode))
            {
                // its own header: the new parent (for ..) and its new inode number
                uint* header = stackalloc uint[2];
                header[0] = FirstBlockOf(dir);
                header[1] = (uint)CffsLayout.Ino(nb, nslot);
                r = Meta(*(uint*)(entry + CffsLayout.ChildPointer), CffsLayout.Parent, (byte*)header, 8);
                if (r < 0) return r;
            }
            r = Touch(dir, true, true);
            return r < 0 ? r : Touch(odir, true, true);
        }

        // ------------------------------------------------------------------ durability

        /// <summary>Everything written so far reaches the disk (XN writes in its safe order).</summary>
        public long Sync() => XnErrors.ToErrno(_xn.Sync());

        public long Fsync(Node n) => Sync();

        /// <summary>Drops this volume's clean cached blocks (a cold cache for measurements and tests).</summary>
        public long DropCache()
        {
            _extValid = false;
            _meta.DropAll();
            _data.DropAll();
            _index.DropAll();
            return XnErrors.ToErrno(_xn.Reclaim());
        }
    }
}
