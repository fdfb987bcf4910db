// UDFs in the guest: registers XN's kind of owns() function over a 32-byte "inode" (magic, then
// three direct block numbers little-endian, then an indirect block read through the buffer view
// big-endian and byte-swapped), runs it over blocks from its own memory and prints the records it
// emits. Lying and hostile UDFs are refused with the verifier's rule and instruction index.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class UdfDemo
    {
        private const uint Magic = 0x1E0D1E0D;
        private const int InodeBytes = 32;
        private static int s_failures;

        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>owns(inode): (block, 1, 7) for each direct block, (indirect, 1, 8); returns 1
        /// for an inode, 0 (and nothing) for a block without the magic.</summary>
        private static ProgramInstruction[] Owns => new[]
        {
            I(0xc0, 0, 0, 0),           // 0  ld ctx[0]        magic (little-endian)
            I(0x15, 1, 0, Magic),       // 1  jeq #magic
            I(0x06, 0, 0, 0),           // 2  ret #0           not an inode
            I(0xc0, 0, 0, 8),           // 3  ld ctx[8]        direct block 0
            I(0x15, 2, 0, 0),           // 4  jeq #0           (0: none)
            I(0x01, 0, 0, 1),           // 5  ldx #1           count
            I(0x57, 0, 0, 7),           // 6  emit 7           (block, 1, data)
            I(0xc0, 0, 0, 12),          // 7  ld ctx[12]       direct block 1
            I(0x15, 2, 0, 0),           // 8
            I(0x01, 0, 0, 1),           // 9
            I(0x57, 0, 0, 7),           // 10
            I(0xc0, 0, 0, 16),          // 11 ld ctx[16]       direct block 2
            I(0x15, 2, 0, 0),           // 12
            I(0x01, 0, 0, 1),           // 13
            I(0x57, 0, 0, 7),           // 14
            I(0x20, 0, 0, 20),          // 15 ld [20]          indirect block, big-endian from the buffer
            I(0xd4, 0, 0, 32),          // 16 swap 32          to the disk's little-endian
            I(0x15, 2, 0, 0),           // 17
            I(0x01, 0, 0, 1),           // 18
            I(0x57, 0, 0, 8),           // 19 emit 8           (block, 1, indirect)
            I(0x06, 0, 0, 1),           // 20 ret #1
        };

        private static void Put(byte* block, int offset, uint value) => *(uint*)(block + offset) = value;

        private static long Register(string what, ProgramInstruction[] program, int count, long blockLength, ProgramRule expectedRule, int expectedIndex)
        {
            ProgramReport report;
            long r;
            fixed (ProgramInstruction* p = program) r = SystemCall.UdfRegister(p, count, blockLength, &report);
            bool refused = r == (long)Error.ProgramRefused;
            bool ok = expectedRule == ProgramRule.None ? r > 0 : refused && report.Rule == (uint)expectedRule && report.Index == expectedIndex;
            if (!ok) s_failures++;
            System.Console.WriteLine("udf: " + what + ": " + (r > 0 ? "registered as udf " + r.ToString() + " (at most " + report.MaxEmits.ToString() + " records, " + report.ContextLength.ToString() + " bytes read)"
                : refused ? "refused: " + ExecutiveText.Refusal(report) : ExecutiveText.Result(r)) + (ok ? "" : " WRONG"));
            return r;
        }

        private static void Run(string what, long id, byte* block, int length, int capacity, int expectedCount)
        {
            UdfRecord* records = stackalloc UdfRecord[8];
            UdfOutput output = new UdfOutput { Records = (ulong)records, Capacity = (ulong)capacity };
            long r = SystemCall.UdfRun(id, block, length, &output);
            string line = "udf: " + what + ": ";
            if (r < 0) line += ExecutiveText.Result(r);
            else
            {
                line += "value " + output.Value.ToString() + ", " + output.Count.ToString() + " records";
                ulong shown = output.Count < (ulong)capacity ? output.Count : (ulong)capacity;
                for (ulong i = 0; i < shown; i++)
                    line += " (" + records[i].A.ToString() + ", " + records[i].X.ToString() + ", " + records[i].K.ToString() + ")";
            }
            bool ok = r == 0 && output.Count == (ulong)expectedCount;
            if (!ok) s_failures++;
            System.Console.WriteLine(ok ? line : line + " WRONG");
        }

        public static int Main(string arguments)
        {
            long owns = Register("owns(inode) over a 32-byte inode", Owns, Owns.Length, InodeBytes, ProgramRule.None, -1);

            byte* inode = stackalloc byte[InodeBytes];
            for (int i = 0; i < InodeBytes; i++) inode[i] = 0;
            Put(inode, 0, Magic);
            Put(inode, 8, 100);
            Put(inode, 16, 102);
            Put(inode, 20, 200);
            Run("owns(inode with blocks 100, 102, indirect 200)", owns, inode, InodeBytes, 8, 3);
            Run("the same, room for 1 record", owns, inode, InodeBytes, 1, 3);
            Put(inode, 0, 0);
            Run("owns(a block without the magic)", owns, inode, InodeBytes, 8, 0);
            UdfOutput unused = default;
            long r = SystemCall.UdfRun(owns, inode, InodeBytes - 4, &unused);
            Check("a block shorter than declared", r, (long)Error.BadLength);
            Check("udf 999", SystemCall.UdfRun(999, inode, InodeBytes, &unused), (long)Error.NoSuchProgram);

            // Lying and hostile UDFs: the verifier refuses each, naming the rule and the instruction.
            Register("a UDF that declares 16 bytes but reads byte 16", Owns, Owns.Length, 16, ProgramRule.ContextOutOfRange, 11);
            var loop = new[] { I(0xc0, 0, 0, 0), I(0x05, 0, 0, 0xFFFFFFFE), I(0x06, 0, 0, 0) };   // ld ctx[0]; ja -2 (back to 0)
            Register("a loop (ja back to instruction 0)", loop, loop.Length, 4, ProgramRule.JumpOutOfRange, 1);
            var scratch = new[] { I(0x60, 0, 0, 3), I(0x16, 0, 0, 0) };                           // ld M[3] never written
            Register("reads scratch word 3 before writing it", scratch, scratch.Length, 0, ProgramRule.UninitializedScratchRead, 0);
            var divide = new[] { I(0xc0, 0, 0, 0), I(0x34, 0, 0, 0), I(0x16, 0, 0, 0) };          // div #0
            Register("divides by the constant 0", divide, divide.Length, 4, ProgramRule.DivisionByZero, 1);
            var unknown = new[] { I(0xc0, 0, 0, 0), I(0xff, 0, 0, 0), I(0x16, 0, 0, 0) };
            Register("an unknown opcode 0xff", unknown, unknown.Length, 4, ProgramRule.UnknownOpcode, 1);
            var endless = new[] { I(0xc0, 0, 0, 0), I(0x57, 0, 0, 1) };                            // no ret at the end
            Register("runs off its end", endless, endless.Length, 4, ProgramRule.FallsOffEnd, 1);
            Register("an empty program", Owns, 0, 4, ProgramRule.Empty, -1);

            System.Console.WriteLine(s_failures == 0 ? "udf: all as expected" : "udf: " + s_failures.ToString() + " WRONG");
            return s_failures == 0 ? 0 : 1;
        }

        private static void Check(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("udf: " + what + " -> " + ExecutiveText.Result(result) + (ok ? "" : " WRONG"));
        }
    }
}
