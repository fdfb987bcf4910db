// A name index for the directories C-FFS has looked into, kept in the library: (directory, name)
// -> the entry's block and slot, so a lookup or a create's "does the name exist" costs a hash
// probe instead of a scan of the directory's chain. A directory is indexed whole, the first time
// it is searched (Begin, then Add for every entry); each directory also keeps a hint, the block
// where a free slot was last found or made. Chained hashing over arrays that double when full.
// Invariant (FileSystem keeps it): for an indexed directory, the index holds exactly its entries:
// every name made, renamed or removed through this instance is added or removed here after XN took
// the change, and everything is dropped when another process changed the volume, on DropCache,
// when a directory is removed, or when a change failed half way. A directory is named by its first
// block. Names are compared by the caller against the entry itself (the index keeps hashes only).
// The arrays only grow (the most entries ever indexed at once) and are never given back.
namespace ExoSharp.LibOS.ExOS.Cffs
{
    internal sealed class DirectoryIndex
    {
        private const int MarkerSlot = 0;               // an entry with slot 0: "this directory is indexed"
        private int[] _head;
        private uint[] _directory, _hash, _block;
        private int[] _slot, _next;
        private int _count, _free;
        private int _used;                              // entries ever handed out (_count + the free list)

        public DirectoryIndex() => Clear(1024);

        private void Clear(int capacity)
        {
            _head = new int[capacity];
            for (int i = 0; i < capacity; i++) _head[i] = -1;
            _directory = new uint[capacity];
            _hash = new uint[capacity];
            _block = new uint[capacity];
            _slot = new int[capacity];
            _next = new int[capacity];
            _count = 0;
            _used = 0;
            _free = -1;
        }

        /// <summary>Forgets every directory (the arrays are kept: nothing for a collector).</summary>
        public void DropAll()
        {
            if (_used == 0) return;
            for (int i = 0; i < _head.Length; i++) _head[i] = -1;
            _count = 0;
            _used = 0;
            _free = -1;
        }

        /// <summary>FNV-1a over the name's bytes (Latin-1), mixed with the directory.</summary>
        public static uint Hash(uint directory, string name, int start, int end)
        {
            uint h = 2166136261u ^ directory;
            for (int i = start; i < end; i++) h = (h ^ (byte)name[i]) * 16777619u;
            return h;
        }

        public static unsafe uint Hash(uint directory, byte* name, int length)
        {
            uint h = 2166136261u ^ directory;
            for (int i = 0; i < length; i++) h = (h ^ name[i]) * 16777619u;
            return h;
        }

        private static uint MarkerHash(uint directory) => directory * 0x9E3779B1u;

        private int Bucket(uint hash) => (int)(hash & (uint)(_head.Length - 1));

        private int FindMarker(uint directory)
        {
            uint h = MarkerHash(directory);
            for (int i = _head[Bucket(h)]; i >= 0; i = _next[i])
                if (_slot[i] == MarkerSlot && _directory[i] == directory) return i;
            return -1;
        }

        public bool IsIndexed(uint directory) => FindMarker(directory) >= 0;

        /// <summary>The directory's free-slot hint (0: none).</summary>
        public uint Hint(uint directory)
        {
            int m = FindMarker(directory);
            return m < 0 ? 0 : _block[m];
        }

        public void SetHint(uint directory, uint block)
        {
            int m = FindMarker(directory);
            if (m >= 0) _block[m] = block;
        }

        /// <summary>Starts indexing a directory (its entries follow with Add).</summary>
        public void Begin(uint directory) => Insert(directory, MarkerHash(directory), 0, MarkerSlot);

        public void Add(uint directory, uint hash, uint block, int slot)
        {
            if (FindMarker(directory) < 0) return;      // not indexed: it will be read whole when searched
            Insert(directory, hash, block, slot);
        }

        /// <summary>Removes the entry of the directory with that hash at (block, slot).</summary>
        public void Remove(uint directory, uint hash, uint block, int slot)
        {
            int b = Bucket(hash), previous = -1;
            for (int i = _head[b]; i >= 0; previous = i, i = _next[i])
            {
                if (_directory[i] != directory || _hash[i] != hash || _block[i] != block || _slot[i] != slot) continue;
                if (previous < 0) _head[b] = _next[i]; else _next[previous] = _next[i];
                _next[i] = _free;
                _free = i;
                _count--;
                return;
            }
        }

        /// <summary>The candidates for a name: call with cursor -1 first, then with what it returned,
        /// until it returns -1; each hit's block and slot (the caller compares the name).</summary>
        public int Next(uint directory, uint hash, int cursor, out uint block, out int slot)
        {
            int i = cursor < 0 ? _head[Bucket(hash)] : _next[cursor];
            for (; i >= 0; i = _next[i])
                if (_hash[i] == hash && _directory[i] == directory && _slot[i] != MarkerSlot)
                {
                    block = _block[i];
                    slot = _slot[i];
                    return i;
                }
            block = 0;
            slot = 0;
            return -1;
        }

        private void Insert(uint directory, uint hash, uint block, int slot)
        {
            int i;
            if (_free >= 0) { i = _free; _free = _next[i]; }
            else
            {
                if (_used == _head.Length) Grow();
                i = _used++;
            }
            _directory[i] = directory;
            _hash[i] = hash;
            _block[i] = block;
            _slot[i] = slot;
            int b = Bucket(hash);
            _next[i] = _head[b];
            _head[b] = i;
            _count++;
        }

        /// <summary>Doubles the arrays and rehashes (every entry is live or on the free list).</summary>
        private void Grow()
        {
            int n = _head.Length * 2;
            var directory = new uint[n]; var hash = new uint[n]; var block = new uint[n];
            var slot = new int[n]; var next = new int[n]; var head = new int[n];
            for (int i = 0; i < n; i++) head[i] = -1;
            bool[] free = new bool[_used];
            for (int f = _free; f >= 0; f = _next[f]) free[f] = true;
            int used = 0;
            for (int i = 0; i < _used; i++)
            {
                if (free[i]) continue;
                directory[used] = _directory[i]; hash[used] = _hash[i]; block[used] = _block[i]; slot[used] = _slot[i];
                int b = (int)(_hash[i] & (uint)(n - 1));
                next[used] = head[b];
                head[b] = used;
                used++;
            }
            _head = head; _directory = directory; _hash = hash; _block = block; _slot = slot; _next = next;
            _used = used;
            _free = -1;
        }
    }
}
