// owns() programs (XN's UDFs, the executive's bytecode) for library file systems: the one shape
// ExOS needs, an array of block pointers (non-zero words) at a fixed stride, each naming one
// block of a type. Loop-free, as the verifier demands: the array is unrolled.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static class Udfs
    {
        private const ushort LdxImm = 0x01, LdCtxW = 0xc0, JeqK = 0x15, EmitK = 0x57, RetK = 0x06;

        /// <summary>Emits (word, 1, type) for each non-zero 32-bit word at first + stride * i, i &lt; n.</summary>
        public static ProgramInstruction[] PointerArray(int first, int n, uint type, int stride)
        {
            var code = new ProgramInstruction[2 + 3 * n];
            code[0] = new ProgramInstruction(LdxImm, 0, 0, 1);
            for (int i = 0; i < n; i++)
            {
                code[1 + 3 * i] = new ProgramInstruction(LdCtxW, 0, 0, (uint)(first + stride * i));
                code[2 + 3 * i] = new ProgramInstruction(JeqK, 1, 0, 0);       // a zero word: skip the emit
                code[3 + 3 * i] = new ProgramInstruction(EmitK, 0, 0, type);
            }
            code[1 + 3 * n] = new ProgramInstruction(RetK, 0, 0, 0);
            return code;
        }
    }
}
