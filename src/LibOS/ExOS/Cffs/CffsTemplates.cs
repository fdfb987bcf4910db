// The owns UDFs that describe C-FFS's blocks to XN, built as executive bytecode (loop-free: each
// field unrolled). A directory block and an inode-table block share one shape: a header with two
// typed pointers, then 15 inodes, each with four data extents, an extent-block pointer and a
// directory pointer. An extent block: 200 data extents and a next pointer. Every field read is
// a pointer; the rest of each block (names, sizes, modes, times, logical offsets) is free to
// change under XN's "owns unchanged" rule. 413 and 1004 instructions (of 1020).
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS.Cffs
{
    public static class CffsTemplates
    {
        private const ushort LdxImm = 0x01, LdCtxW = 0xc0, JeqK = 0x15, EmitK = 0x57, RetK = 0x06, Tax = 0x07;

        /// <summary>A directory block (headerNext = the directory type, headerTable = the inode-table
        /// type) or an inode-table block (headerNext = the inode-table type, headerTable 0: none).</summary>
        public static ProgramInstruction[] Directory(uint headerNext, uint headerTable, uint extentType, uint directoryType)
        {
            var code = new ProgramInstruction[420];
            int n = 0;
            code[n++] = new ProgramInstruction(LdxImm, 0, 0, 1);
            Pointer(code, ref n, CffsLayout.NextPointer, headerNext);
            if (headerTable != 0) Pointer(code, ref n, CffsLayout.TablePointer, headerTable);
            for (int s = 1; s < CffsLayout.Slots; s++)
            {
                int at = s * CffsLayout.SlotSize;
                for (int e = 0; e < CffsLayout.Extents; e++) Extent(code, ref n, at + CffsLayout.ExtentOffset + e * CffsLayout.ExtentSize);
                code[n++] = new ProgramInstruction(LdxImm, 0, 0, 1);
                Pointer(code, ref n, at + CffsLayout.IndirectPointer, extentType);
                Pointer(code, ref n, at + CffsLayout.ChildPointer, directoryType);
            }
            code[n++] = new ProgramInstruction(RetK, 0, 0, 0);
            return Trim(code, n);
        }

        /// <summary>An extent block: ListExtents data extents and the next extent block (extentType).</summary>
        public static ProgramInstruction[] ExtentList(uint extentType)
        {
            var code = new ProgramInstruction[CffsLayout.ListExtents * 5 + 5];
            int n = 0;
            for (int e = 0; e < CffsLayout.ListExtents; e++) Extent(code, ref n, e * CffsLayout.ExtentSize);
            code[n++] = new ProgramInstruction(LdxImm, 0, 0, 1);
            Pointer(code, ref n, CffsLayout.ListNext, extentType);
            code[n++] = new ProgramInstruction(RetK, 0, 0, 0);
            return Trim(code, n);
        }

        // (word, X, type) when the word is non-zero; X must already be 1.
        private static void Pointer(ProgramInstruction[] code, ref int n, int offset, uint type)
        {
            code[n++] = new ProgramInstruction(LdCtxW, 0, 0, (uint)offset);
            code[n++] = new ProgramInstruction(JeqK, 1, 0, 0);
            code[n++] = new ProgramInstruction(EmitK, 0, 0, type);
        }

        // (start, count, 0) when count is non-zero; leaves X = count.
        private static void Extent(ProgramInstruction[] code, ref int n, int offset)
        {
            code[n++] = new ProgramInstruction(LdCtxW, 0, 0, (uint)(offset + 4));
            code[n++] = new ProgramInstruction(JeqK, 3, 0, 0);
            code[n++] = new ProgramInstruction(Tax, 0, 0, 0);
            code[n++] = new ProgramInstruction(LdCtxW, 0, 0, (uint)offset);
            code[n++] = new ProgramInstruction(EmitK, 0, 0, 0);
        }

        private static ProgramInstruction[] Trim(ProgramInstruction[] code, int n)
        {
            var result = new ProgramInstruction[n];
            for (int i = 0; i < n; i++) result[i] = code[i];
            return result;
        }
    }
}
