// C-FFS's layout on XN (docs/filesystem.md). A directory is a chain of directory blocks of 16
// slots of 256 bytes; slot 0 is the block's header, slots 1-15 are entries, each holding its
// file's inode (embedded inodes: the inode number is the entry's place, block * 16 + slot). A
// file with several hard links keeps its inode in the inode table (a chain of blocks of the same
// shape hanging off the root's header) and its entries say where. An inode maps its bytes with
// four extents (start, count, logical block) and a chain of extent blocks; holes read as zeros.
// The owns UDFs (CffsTemplates) read exactly the pointer fields named *Pointer and *Extent here.
namespace ExoSharp.LibOS.ExOS.Cffs
{
    public static class CffsLayout
    {
        public const int BlockSize = 4096;
        public const int SlotSize = 256;
        public const int Slots = BlockSize / SlotSize;      // slot 0: the header
        public const uint Magic = 0x44464643;               // "CFFD"

        // An inode (an entry's first 104 bytes; the root directory's in its first block's header).
        public const int Mode = 0, Uid = 4, Gid = 8, Nlink = 12, Size = 16, Atime = 24, Mtime = 32, Ctime = 40;
        /// <summary>Entries of a hard-linked file: the external inode's number (flag External set).</summary>
        public const int ExternalInode = 48, Flags = 52;
        public const uint External = 1;
        public const int Extents = 4, ExtentOffset = 56, ExtentSize = 12;   // { start, count, logical }
        /// <summary>An entry's first extent block (type X) and, for a directory, its first block (type D).</summary>
        public const int IndirectPointer = 104, ChildPointer = 108;
        public const int NameLength = 112, Name = 113, NameMax = SlotSize - Name;

        // A directory block's header (slot 0): the next block of the directory (type D); in the
        // root's first block, the inode table (type I). An inode-table block: the next one (type I).
        public const int NextPointer = 104, TablePointer = 108;
        public const int HeaderMagic = 112, TypeD = 116, TypeX = 120, TypeI = 124, Parent = 128, Self = 132;

        /// <summary>An extent block: ListExtents extents from offset 0, the next extent block at ListNext.</summary>
        public const int ListExtents = 200, ListNext = BlockSize - 8;

        // Modes (Linux's).
        public const uint TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000, Symlink = 0xA000;

        /// <summary>Largest file: logical blocks are 32-bit.</summary>
        public const ulong MaxFileSize = (ulong)uint.MaxValue * BlockSize;

        /// <summary>The system volume: the XN root ExOS mounts at boot and tools/fsimage writes. Its key is
        /// well known (any program that knows it can open the volume); private volumes choose their own.</summary>
        public const string SystemRoot = "cffs";
        public const ulong SystemKey = 0x5346464358454E31;

        public static ulong Ino(uint block, int slot) => (ulong)block * Slots + (ulong)slot;
    }
}
