// SipHash-2-4 over up to four 32-bit words: the keyed function behind RFC 6528 initial
// sequence numbers, RFC 6056 port offsets and timestamp offsets. The key comes from the
// stack's configuration (the program seeds it from the time-stamp counter or a test's seed).
// The rounds are inlined (a call per rotation cost about a third of a connection's hashing).
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Net
{
    public static class SipHash
    {
        public static ulong Hash(ulong k0, ulong k1, uint a, uint b, uint c, uint d)
        {
            ulong v0 = k0 ^ 0x736f6d6570736575UL, v1 = k1 ^ 0x646f72616e646f6dUL;
            ulong v2 = k0 ^ 0x6c7967656e657261UL, v3 = k1 ^ 0x7465646279746573UL;
            ulong m = (ulong)a << 32 | b;
            Compress(ref v0, ref v1, ref v2, ref v3, m);
            m = (ulong)c << 32 | d;
            Compress(ref v0, ref v1, ref v2, ref v3, m);
            Compress(ref v0, ref v1, ref v2, ref v3, 16UL << 56);
            v2 ^= 0xFF;
            for (int i = 0; i < 4; i++) Round(ref v0, ref v1, ref v2, ref v3);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Compress(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ulong m)
        {
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Rotate(ulong x, int b) => x << b | x >> (64 - b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
        {
            v0 += v1; v1 = Rotate(v1, 13); v1 ^= v0; v0 = Rotate(v0, 32);
            v2 += v3; v3 = Rotate(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Rotate(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Rotate(v1, 17); v1 ^= v2; v2 = Rotate(v2, 32);
        }
    }
}
