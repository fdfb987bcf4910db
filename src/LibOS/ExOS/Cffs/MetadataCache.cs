// The library's own copies of C-FFS blocks, so a path walk, a stat or an extent lookup (one
// instance: directory, extent and inode-table blocks) or a small file's read (another: data blocks)
// reads memory instead of copying the block out of XN on every access. Direct-mapped by block
// number; a page is allocated for a slot the first time it is used and kept for the volume's life.
// Invariant (FileSystem keeps it): a copy equals XN's block, because every change this instance
// makes through XN is applied here after XN accepted it, a freed or newly allocated block's copy is
// dropped, and everything is dropped when another process changed the volume (the shared
// generation) or the cache is emptied (DropCache).
namespace ExoSharp.LibOS.ExOS.Cffs
{
    internal sealed unsafe class MetadataCache
    {
        private const int BlockSize = CffsLayout.BlockSize;
        private const uint None = 0xFFFFFFFF;
        private readonly int Slots;
        private readonly uint[] _block;
        private readonly byte*[] _page;

        /// <summary>slots: at most that many copies (slots * 4 KiB of memory once all are used).</summary>
        public MetadataCache(int slots)
        {
            Slots = slots;
            _block = new uint[slots];
            _page = new byte*[slots];
            for (int i = 0; i < Slots; i++) _block[i] = None;
        }

        private int SlotOf(uint block) => (int)(block % (uint)Slots);

        /// <summary>The copy of block, or null when none is held.</summary>
        public byte* Find(uint block)
        {
            int s = SlotOf(block);
            return _block[s] == block ? _page[s] : null;
        }

        /// <summary>A page to fill with block's bytes (the slot's previous block is dropped); Commit
        /// it once filled. Null when no memory is left.</summary>
        public byte* Reserve(uint block)
        {
            int s = SlotOf(block);
            _block[s] = None;
            if (_page[s] == null) _page[s] = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(BlockSize);
            return _page[s];
        }

        public void Commit(uint block) => _block[SlotOf(block)] = block;

        /// <summary>A change XN accepted: length bytes at offset of block (nothing when not held).</summary>
        public void Apply(uint block, int offset, byte* bytes, int length)
        {
            byte* page = Find(block);
            if (page == null || offset < 0 || length < 0 || offset + length > BlockSize) return;
            System.Buffer.MemoryCopy(bytes, page + offset, length, length);
        }

        public void Drop(uint block)
        {
            int s = SlotOf(block);
            if (_block[s] == block) _block[s] = None;
        }

        public void Drop(uint first, uint count)
        {
            if (count >= Slots) { DropAll(); return; }
            for (uint b = first; b < first + count; b++) Drop(b);
        }

        public void DropAll()
        {
            for (int i = 0; i < Slots; i++) _block[i] = None;
        }
    }
}
