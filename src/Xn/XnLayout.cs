// XN's on-disk layout: block 0 the superblock, then one slot of SlotBlocks blocks per template,
// then the root catalogue; every block from FirstAllocatable on is handed out by XN. All fields
// are little-endian 32-bit words. Invariant: the layout is fixed by Version; a disk with another
// magic or version is not mounted. Missing: a bigger catalogue, template removal.
using System;

namespace ExoSharp.Xn;

public static class XnLayout
{
    public const int BlockSize = 4096;
    public const uint Magic = 0x4E58534Bu; // "KSXN" read as bytes
    public const uint Version = 2;     // 2: 64-bit owner keys in the catalogue

    public const uint SuperBlock = 0;
    // Superblock fields (byte offsets).
    public const int MagicOffset = 0;
    public const int VersionOffset = 4;
    public const int BlockCountOffset = 8;

    /// <summary>Types 1..MaxTemplates have templates; type 0 is a data block (no pointers).</summary>
    public const int MaxTemplates = 15;
    /// <summary>Blocks per template slot: a 32-byte header, then the program's instructions.</summary>
    public const int SlotBlocks = 2;
    public const int TemplateHeader = 32;
    // Template header fields (byte offsets in the slot's first block).
    public const int TemplateTypeOffset = 0;
    public const int TemplateLengthOffset = 4;
    /// <summary>The most instructions a template's owns UDF may have (what fits in a slot).</summary>
    public const int MaxTemplateInstructions = (SlotBlocks * BlockSize - TemplateHeader) / 8;
    /// <summary>The most records one owns run may emit (the verifier proves MaxEmits).</summary>
    public const int MaxRecords = MaxTemplateInstructions;

    /// <summary>The move log, in the superblock: MaxMoves records of MoveRecordSize bytes from
    /// MoveLogOffset: { a moved block (the witness), 1, from, to, from's type, to's type, the
    /// change's offset and length } (32 bytes), then the change made to `from` (at most
    /// MoveChangeMax bytes), redone at mount when `to` already names the witness on disk (each
    /// parent's copy names all the moved blocks or none). Second word 0: the record is free.</summary>
    public const int MoveLogOffset = 64, MoveRecordSize = 288, MoveChangeMax = 256;
    public const int MaxMoves = (BlockSize - MoveLogOffset) / MoveRecordSize;

    public const uint FirstTemplateBlock = 1;
    public const uint CatalogueBlock = FirstTemplateBlock + MaxTemplates * SlotBlocks;
    /// <summary>A catalogue entry: name (16 bytes), block, type, owner (64 bits; 0: the entry is free).</summary>
    public const int RootEntrySize = 32;
    public const int RootNameLength = 16;
    public const int RootBlockOffset = 16;
    public const int RootTypeOffset = 20;
    public const int RootOwnerOffset = 24;
    public const int MaxRoots = BlockSize / RootEntrySize;
    public const uint FirstAllocatable = CatalogueBlock + 1;

    /// <summary>The first block of type's template slot; precondition 1 &lt;= type &lt;= MaxTemplates.</summary>
    public static uint TemplateBlock(uint type) => FirstTemplateBlock + (type - 1) * SlotBlocks;

    public static uint ReadWord(ReadOnlySpan<byte> block, int offset) =>
        (uint)(block[offset] | block[offset + 1] << 8 | block[offset + 2] << 16 | block[offset + 3] << 24);

    public static ulong ReadLong(ReadOnlySpan<byte> block, int offset) =>
        ReadWord(block, offset) | (ulong)ReadWord(block, offset + 4) << 32;

    public static void WriteLong(Span<byte> block, int offset, ulong value)
    {
        WriteWord(block, offset, (uint)value);
        WriteWord(block, offset + 4, (uint)(value >> 32));
    }

    public static void WriteWord(Span<byte> block, int offset, uint value)
    {
        block[offset] = (byte)value;
        block[offset + 1] = (byte)(value >> 8);
        block[offset + 2] = (byte)(value >> 16);
        block[offset + 3] = (byte)(value >> 24);
    }
}
