// UDFs in the guest: registers XN's kind of owns() function over a 32-byte "inode" (magic, then
// three direct block numbers little-endian, then an indirect block read through the buffer view
// big-endian and byte-swapped) as an XN template (XnTemplate: the kernel verifies and runs UDFs
// only as XN's templates). Lying and hostile UDFs are refused with the verifier's rule and
// instruction index, or UdfLied. Needs a disk.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class UdfDemo
    {
        private const uint Magic = 0x1E0D1E0D;
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

        private static long Register(string what, ProgramInstruction[] program, int count, ProgramRule expectedRule, int expectedIndex, long expected = 0)
        {
            ProgramReport report;
            long r;
            fixed (ProgramInstruction* p = program) r = SystemCall.XnTemplate(p, count, &report);
            bool refused = r == (long)Error.ProgramRefused;
            bool ok = expected != 0 ? r == expected
                : expectedRule == ProgramRule.None ? r > 0 : refused && report.Rule == (uint)expectedRule && report.Index == expectedIndex;
            if (!ok) s_failures++;
            System.Console.WriteLine("udf: " + what + ": " + (r > 0 ? "template for type " + r.ToString() + " (at most " + report.MaxEmits.ToString() + " records, " + report.ContextLength.ToString() + " bytes read)"
                : refused ? "refused: " + ExecutiveText.Refusal(report) : ExecutiveText.Result(r)) + (ok ? "" : " WRONG"));
            return r;
        }

        public static int Main(string arguments)
        {
            Register("owns(inode) as XN's template", Owns, Owns.Length, ProgramRule.None, -1);

            // Lying and hostile UDFs: the verifier refuses each, naming the rule and the instruction.
            var past = new[] { I(0xc0, 0, 0, 4096), I(0x16, 0, 0, 0) };                           // ld ctx[4096]: past the block
            Register("a UDF that reads past its 4096-byte block", past, past.Length, ProgramRule.ContextOutOfRange, 0);
            var loop = new[] { I(0xc0, 0, 0, 0), I(0x05, 0, 0, 0xFFFFFFFE), I(0x06, 0, 0, 0) };   // ld ctx[0]; ja -2 (back to 0)
            Register("a loop (ja back to instruction 0)", loop, loop.Length, ProgramRule.JumpOutOfRange, 1);
            var scratch = new[] { I(0x60, 0, 0, 3), I(0x16, 0, 0, 0) };                           // ld M[3] never written
            Register("reads scratch word 3 before writing it", scratch, scratch.Length, ProgramRule.UninitializedScratchRead, 0);
            var divide = new[] { I(0xc0, 0, 0, 0), I(0x34, 0, 0, 0), I(0x16, 0, 0, 0) };          // div #0
            Register("divides by the constant 0", divide, divide.Length, ProgramRule.DivisionByZero, 1);
            var unknown = new[] { I(0xc0, 0, 0, 0), I(0xff, 0, 0, 0), I(0x16, 0, 0, 0) };
            Register("an unknown opcode 0xff", unknown, unknown.Length, ProgramRule.UnknownOpcode, 1);
            var endless = new[] { I(0xc0, 0, 0, 0), I(0x57, 0, 0, 1) };                            // no ret at the end
            Register("runs off its end", endless, endless.Length, ProgramRule.FallsOffEnd, 1);
            Register("an empty program", Owns, 0, ProgramRule.Empty, -1);
            var liar = new[] { I(0x00, 0, 0, 100), I(0x01, 0, 0, 1), I(0x57, 0, 0, 7), I(0x06, 0, 0, 1) };   // claims block 100 always
            Register("a UDF that claims block 100 in an all-zero block", liar, liar.Length, ProgramRule.None, -1, (long)Error.UdfLied);

            System.Console.WriteLine(s_failures == 0 ? "udf: all as expected" : "udf: " + s_failures.ToString() + " WRONG");
            return s_failures == 0 ? 0 : 1;
        }
    }
}
