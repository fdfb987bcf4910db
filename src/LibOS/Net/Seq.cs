// TCP sequence-number comparisons modulo 2^32 (RFC 9293 section 3.4).
namespace ExoSharp.LibOS.Net
{
    public static class Seq
    {
        public static bool Lt(uint a, uint b) => (int)(a - b) < 0;
        public static bool Le(uint a, uint b) => (int)(a - b) <= 0;
        public static bool Gt(uint a, uint b) => (int)(a - b) > 0;
        public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;
        public static uint Max(uint a, uint b) => Gt(a, b) ? a : b;
        public static uint Min(uint a, uint b) => Lt(a, b) ? a : b;

        /// <summary>Whether a lies in [low, low + length).</summary>
        public static bool In(uint a, uint low, uint length) => a - low < length;
    }
}
