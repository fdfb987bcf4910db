// ExOS's file system on XN: a library file system whose only protection is the kernel's XN
// checks. One directory block (the XN root, opened by name and key: every call then names the
// XnRoot capability that gives, RootHandle) of DirectoryEntries entries
// { name[52], inode block, size, unused }; an inode block per file { size, 0, data block[16] };
// data blocks hold the bytes. Two templates describe it to XN (their owns UDFs read the inode
// words of the directory and the pointer words of an inode). The directory's last 64 bytes hold
// { magic, inode type, directory type }: fields no UDF reads, so XN lets them change freely.
// Blocks are chosen from the buffer-cache registry window (UserLayout.BlockRegistry).
// Crash behaviour (XN keeps the pointers consistent; the rest is this library's): a file's size
// is written after its blocks are allocated and cleared before they are freed, and a zero pointer
// within the size reads as a hole of zeros.
// Missing: subdirectories, files over 64 KiB, growing a file in place, concurrent writers.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public sealed unsafe class FileSystem
    {
        public const int DirectoryEntries = 32, EntrySize = 64, NameLength = 52, InodeWordOffset = 52;
        public const int MaxBlocks = 16, PointerOffset = 8, BlockSize = 4096;
        public const uint Magic = 0x53465845;           // "EXFS"
        private const int HeaderOffset = 4032;

        private readonly ulong _directory, _root;
        private readonly uint _inodeType, _directoryType;
        private ulong _nextFree;

        public ulong Directory => _directory;
        public uint InodeType => _inodeType;
        /// <summary>The XnRoot capability (with Write) every XN call of this file system names.</summary>
        public ulong RootHandle => _root;

        private FileSystem(ulong directory, ulong root, uint inodeType, uint directoryType)
        {
            _directory = directory;
            _root = root;
            _inodeType = inodeType;
            _directoryType = directoryType;
        }

        /// <summary>Opens the file system rooted at name with key, making it (templates, root) when the
        /// disk has none by that name; null with the error otherwise.</summary>
        public static FileSystem Open(string name, ulong key, out long error, out bool created)
        {
            created = false;
            byte* text = stackalloc byte[16];
            int length = name.Length < 16 ? name.Length : 16;
            for (int i = 0; i < length; i++) text[i] = (byte)name[i];
            ulong block = ulong.MaxValue;
            long root = SystemCall.XnRootOpen(text, length, key, &block);
            if (root >= 0)
            {
                error = SystemCall.XnFetch((ulong)root, block);
                if (error < 0) return null;
                uint* header = stackalloc uint[3];
                error = SystemCall.XnRead((ulong)root, block, HeaderOffset, (byte*)header, 12);
                if (error < 0) return null;
                if (header[0] != Magic) { error = (long)Error.BadArgument; return null; }
                return new FileSystem(block, (ulong)root, header[1], header[2]);
            }
            if (root != (long)Error.NoSuchBlock) { error = root; return null; }

            ProgramInstruction[] inode = Udfs.PointerArray(PointerOffset, MaxBlocks, 0, 4);
            long inodeType;
            fixed (ProgramInstruction* p = inode) inodeType = SystemCall.XnTemplate(p, inode.Length);
            if (inodeType < 0) { error = inodeType; return null; }
            ProgramInstruction[] directory = Udfs.PointerArray(InodeWordOffset, DirectoryEntries, (uint)inodeType, EntrySize);
            long directoryType;
            fixed (ProgramInstruction* p = directory) directoryType = SystemCall.XnTemplate(p, directory.Length);
            if (directoryType < 0) { error = directoryType; return null; }
            error = SystemCall.XnSync(0);               // a type is usable once its template is on disk
            if (error < 0) return null;
            var fs = new FileSystem(0, 0, (uint)inodeType, (uint)directoryType);
            block = fs.FreeBlock();
            root = SystemCall.XnRootCreate(text, length, key, block, (ulong)directoryType);
            if (root < 0) { error = root; return null; }
            var created_ = new FileSystem(block, (ulong)root, (uint)inodeType, (uint)directoryType);
            uint* fields = stackalloc uint[3];
            fields[0] = Magic;
            fields[1] = (uint)inodeType;
            fields[2] = (uint)directoryType;
            error = created_.Write(block, HeaderOffset, (byte*)fields, 12);
            if (error < 0) return null;
            created = true;
            return created_;
        }

        /// <summary>A free block from the registry window (not one handed out since the last look).</summary>
        private ulong FreeBlock()
        {
            XnInfo info;
            SystemCall.XnInfo(&info);
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            if (_nextFree < info.FirstBlock) _nextFree = info.FirstBlock;
            for (ulong n = 0; n < info.Blocks; n++)
            {
                ulong b = _nextFree;
                _nextFree = _nextFree + 1 >= info.Blocks ? info.FirstBlock : _nextFree + 1;
                if (registry[b].State == BlockRecord.Free) return b;
            }
            return 0;
        }

        private long Write(ulong block, ulong offset, byte* bytes, ulong length)
        {
            var change = new XnChange { Block = block, Offset = offset, Bytes = (ulong)bytes, Length = length, Root = _root };
            return SystemCall.XnWrite(&change);
        }

        private long Alloc(ulong parent, ulong offset, byte* bytes, ulong length, ulong block, uint type)
        {
            var change = new XnChange { Block = parent, Offset = offset, Bytes = (ulong)bytes, Length = length, First = block, Count = 1, Type = type, Root = _root };
            return SystemCall.XnAlloc(&change);
        }

        private long Free(ulong parent, ulong offset, byte* bytes, ulong length, ulong block)
        {
            var change = new XnChange { Block = parent, Offset = offset, Bytes = (ulong)bytes, Length = length, First = block, Count = 1, Root = _root };
            return SystemCall.XnFree(&change);
        }

        /// <summary>The directory entry's index for name, or -1.</summary>
        private int Find(string name, out uint inode)
        {
            byte* entry = stackalloc byte[EntrySize];
            for (int e = 0; e < DirectoryEntries; e++)
            {
                SystemCall.XnRead(_root, _directory, (ulong)(e * EntrySize), entry, EntrySize);
                inode = *(uint*)(entry + InodeWordOffset);
                if (inode != 0 && NameIs(entry, name)) return e;
            }
            inode = 0;
            return -1;
        }

        private static bool NameIs(byte* entry, string name)
        {
            if (name.Length >= NameLength) return false;
            for (int i = 0; i < name.Length; i++)
                if (entry[i] != (byte)name[i]) return false;
            return entry[name.Length] == 0;
        }

        /// <summary>Creates a file holding bytes (at most MaxBlocks blocks); 0 or an Error.</summary>
        public long Create(string name, byte* bytes, int length)
        {
            if (name.Length == 0 || name.Length >= NameLength || length < 0 || length > MaxBlocks * BlockSize) return (long)Error.BadLength;
            if (Find(name, out _) >= 0) return (long)Error.BlockInUse;
            byte* entry = stackalloc byte[EntrySize];
            int slot = -1;
            for (int e = 0; e < DirectoryEntries && slot < 0; e++)
            {
                SystemCall.XnRead(_root, _directory, (ulong)(e * EntrySize) + InodeWordOffset, entry, 4);
                if (*(uint*)entry == 0) slot = e;
            }
            if (slot < 0) return (long)Error.TableFull;
            ulong inode = FreeBlock();
            for (int i = 0; i < EntrySize; i++) entry[i] = 0;
            for (int i = 0; i < name.Length; i++) entry[i] = (byte)name[i];
            *(uint*)(entry + InodeWordOffset) = (uint)inode;
            *(uint*)(entry + InodeWordOffset + 4) = (uint)length;
            long r = Alloc(_directory, (ulong)(slot * EntrySize), entry, EntrySize, inode, _inodeType);
            if (r < 0) return r;
            for (int k = 0; k * BlockSize < length; k++)
            {
                ulong data = FreeBlock();
                uint pointer = (uint)data;
                r = Alloc(inode, (ulong)(PointerOffset + 4 * k), (byte*)&pointer, 4, data, 0);
                if (r < 0) return r;
                int chunk = length - k * BlockSize < BlockSize ? length - k * BlockSize : BlockSize;
                r = Write(data, 0, bytes + k * BlockSize, (ulong)chunk);
                if (r < 0) return r;
            }
            uint size = (uint)length;
            return Write(inode, 0, (byte*)&size, 4);
        }

        /// <summary>Reads a file into into (room for its size); its size or an Error.</summary>
        public long Read(string name, byte* into, int room)
        {
            if (Find(name, out uint inode) < 0) return (long)Error.NoSuchBlock;
            long r = SystemCall.XnFetch(_root, inode);
            if (r < 0) return r;
            uint* words = stackalloc uint[2 + MaxBlocks];
            r = SystemCall.XnRead(_root, inode, 0, (byte*)words, (ulong)(4 * (2 + MaxBlocks)));
            if (r < 0) return r;
            int size = (int)words[0];
            if (size > room) return (long)Error.BadLength;
            for (int k = 0; k * BlockSize < size; k++)
            {
                ulong data = words[2 + k];
                int chunk = size - k * BlockSize < BlockSize ? size - k * BlockSize : BlockSize;
                if (data == 0)
                {
                    for (int i = 0; i < chunk; i++) into[k * BlockSize + i] = 0;   // a hole: reads as zeros
                    continue;
                }
                r = SystemCall.XnFetch(_root, data);
                if (r < 0) return r;
                r = SystemCall.XnRead(_root, data, 0, into + k * BlockSize, (ulong)chunk);
                if (r < 0) return r;
            }
            return size;
        }

        /// <summary>Deletes a file: its data blocks, then its inode; 0 or an Error.</summary>
        public long Delete(string name)
        {
            int slot = Find(name, out uint inode);
            if (slot < 0) return (long)Error.NoSuchBlock;
            long r = SystemCall.XnFetch(_root, inode);
            if (r < 0) return r;
            uint* words = stackalloc uint[2 + MaxBlocks];
            SystemCall.XnRead(_root, inode, 0, (byte*)words, (ulong)(4 * (2 + MaxBlocks)));
            uint zero = 0;
            // The size goes first: any copy of the inode written from now on says "empty", so a
            // crash halfway through the frees leaves an empty file, not one with holes.
            r = Write(inode, 0, (byte*)&zero, 4);
            if (r < 0) return r;
            for (int k = 0; k < MaxBlocks; k++)
            {
                if (words[2 + k] == 0) continue;
                r = Free(inode, (ulong)(PointerOffset + 4 * k), (byte*)&zero, 4, words[2 + k]);
                if (r < 0) return r;
            }
            byte* entry = stackalloc byte[EntrySize];
            for (int i = 0; i < EntrySize; i++) entry[i] = 0;
            return Free(_directory, (ulong)(slot * EntrySize), entry, EntrySize, inode);
        }

        /// <summary>A file's inode block (0: no such file).</summary>
        public ulong InodeOf(string name) => Find(name, out uint inode) < 0 ? 0 : inode;

        /// <summary>A file's k-th data block (0: none), its inode fetched.</summary>
        public ulong DataBlock(string name, int k)
        {
            ulong inode = InodeOf(name);
            if (inode == 0 || k < 0 || k >= MaxBlocks || SystemCall.XnFetch(_root, inode) < 0) return 0;
            uint pointer = 0;
            SystemCall.XnRead(_root, inode, (ulong)(PointerOffset + 4 * k), (byte*)&pointer, 4);
            return pointer;
        }

        /// <summary>A free block, as Create would choose one (from the registry window).</summary>
        public ulong AnyFreeBlock() => FreeBlock();

        /// <summary>Drops a file's clean blocks (inode and data) from the kernel's cache; how many
        /// were dropped. Dirty ones stay (sync first).</summary>
        public int Evict(string name)
        {
            ulong inode = InodeOf(name);
            if (inode == 0 || SystemCall.XnFetch(_root, inode) < 0) return 0;
            uint* words = stackalloc uint[2 + MaxBlocks];
            SystemCall.XnRead(_root, inode, 0, (byte*)words, (ulong)(4 * (2 + MaxBlocks)));
            int dropped = 0;
            for (int k = 0; k < MaxBlocks; k++)
                if (words[2 + k] != 0 && SystemCall.XnEvict(_root, words[2 + k]) == 0) dropped++;
            if (SystemCall.XnEvict(_root, inode) == 0) dropped++;
            return dropped;
        }

        /// <summary>The names of the files, in directory order.</summary>
        public string List()
        {
            string names = "";
            byte* entry = stackalloc byte[EntrySize];
            for (int e = 0; e < DirectoryEntries; e++)
            {
                SystemCall.XnRead(_root, _directory, (ulong)(e * EntrySize), entry, EntrySize);
                if (*(uint*)(entry + InodeWordOffset) == 0) continue;
                int n = 0;
                while (n < NameLength && entry[n] != 0) n++;
                names += (names.Length == 0 ? "" : " ") + new string((sbyte*)entry, 0, n);
            }
            return names;
        }
    }
}
