// owns() programs for the tests, built from the executive's bytecode: the tiny file system's
// inode (12 direct data pointers), directory (12 file entries, 4 subdirectory entries) and
// extent list (an indirect block of (start, count) pairs), and hostile ones.
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Tests.Xn
{
    public static class Udfs
    {
        public const ushort LdCtxW = Opcode.Ld | Opcode.W | Opcode.Ctx;
        public const ushort LdAbsW = Opcode.Ld | Opcode.W | Opcode.Abs;
        public const ushort LdxImm = Opcode.Ldx | Opcode.Imm;
        public const ushort LdImm = Opcode.Ld | Opcode.Imm;
        public const ushort JeqK = Opcode.Jmp | Opcode.Jeq | Opcode.K;
        public const ushort EmitK = Opcode.Misc | Opcode.Emit;
        public const ushort RetK = Opcode.Ret | Opcode.RetK;
        public const ushort Tax = Opcode.Misc | Opcode.Tax;

        public const int InodePointers = 12;
        public const int InodePointerOffset = 8;
        public const int DirectoryFiles = 12;
        public const int DirectoryEntries = 16;
        public const int EntrySize = 32;

        /// <summary>Emits (pointer, 1, type) for each non-zero word at offsets first + 4i, i &lt; n.</summary>
        public static Instruction[] PointerArray(int first, int n, uint type)
        {
            var code = new List<Instruction> { Instruction.Statement(LdxImm, 1) };
            for (int i = 0; i < n; i++) AddPointer(code, (uint)(first + 4 * i), type);
            code.Add(Instruction.Statement(RetK, 0));
            return code.ToArray();
        }

        private static void AddPointer(List<Instruction> code, uint offset, uint type)
        {
            code.Add(Instruction.Statement(LdCtxW, offset));
            code.Add(Instruction.Jump(JeqK, 0, 1, 0));
            code.Add(Instruction.Statement(EmitK, type));
        }

        public static Instruction[] Inode() => PointerArray(InodePointerOffset, InodePointers, 0);

        /// <summary>Entries 0-11 name inodes (type inodeType), 12-15 directories (directoryType).</summary>
        public static Instruction[] Directory(uint inodeType, uint directoryType)
        {
            var code = new List<Instruction> { Instruction.Statement(LdxImm, 1) };
            for (int e = 0; e < DirectoryEntries; e++)
                AddPointer(code, (uint)(e * EntrySize), e < DirectoryFiles ? inodeType : directoryType);
            code.Add(Instruction.Statement(RetK, 0));
            return code.ToArray();
        }

        /// <summary>An indirect block of n (start, count) pairs of data extents: one program, one
        /// record per extent (XOK needed one UDF slot per pointer).</summary>
        public static Instruction[] ExtentList(int n)
        {
            var code = new List<Instruction>();
            for (int i = 0; i < n; i++)
            {
                code.Add(Instruction.Statement(LdCtxW, (uint)(8 * i + 4)));
                code.Add(Instruction.Jump(JeqK, 0, 3, 0));
                code.Add(Instruction.Statement(Tax, 0));
                code.Add(Instruction.Statement(LdCtxW, (uint)(8 * i)));
                code.Add(Instruction.Statement(EmitK, 0));
            }
            code.Add(Instruction.Statement(RetK, 0));
            return code.ToArray();
        }

        /// <summary>Lies: names block `block` whatever the metadata says.</summary>
        public static Instruction[] Constant(uint block) => new[]
        {
            Instruction.Statement(LdxImm, 1),
            Instruction.Statement(LdImm, block),
            Instruction.Statement(EmitK, 0),
            Instruction.Statement(RetK, 0),
        };

        /// <summary>Emits the word at offset 0 as a pointer with count taken from offset 4 (0 allowed).</summary>
        public static Instruction[] RawRecord() => new[]
        {
            Instruction.Statement(LdCtxW, 4),
            Instruction.Jump(JeqK, 0, 3, 0),
            Instruction.Statement(Tax, 0),
            Instruction.Statement(LdCtxW, 0),
            Instruction.Statement(EmitK, 0),
            Instruction.Statement(RetK, 0),
        };

        /// <summary>Hides pointers: emits only the first of the inode's pointers.</summary>
        public static Instruction[] FirstPointerOnly() => PointerArray(InodePointerOffset, 1, 0);

        /// <summary>Counts of emitted records as fast as possible: n emits of the word at offset 0
        /// (all the same block when it is non-zero).</summary>
        public static Instruction[] Repeated(int n)
        {
            var code = new List<Instruction> { Instruction.Statement(LdxImm, 1), Instruction.Statement(LdCtxW, 0), Instruction.Jump(JeqK, 0, (byte)Math.Min(n, 255), 0) };
            for (int i = 0; i < n; i++) code.Add(Instruction.Statement(EmitK, 0));
            code.Add(Instruction.Statement(RetK, 0));
            return code.ToArray();
        }

        public static byte[] Word(uint value) => BitConverter.GetBytes(value);
        public static byte[] Words(params uint[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
    }
}
