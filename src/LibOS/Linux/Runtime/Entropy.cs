// Random bytes for AT_RANDOM and getrandom: xorshift64* seeded from the time-stamp counter.
// Not cryptographic (there is no entropy source yet); enough for stack canaries and hashing.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static class Entropy
    {
        [RuntimeImport("linux_rdtsc")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Tsc();

        private static ulong s_state;

        public static ulong Next()
        {
            if (s_state == 0) s_state = Tsc() | 1;
            s_state ^= s_state >> 12;
            s_state ^= s_state << 25;
            s_state ^= s_state >> 27;
            return s_state * 0x2545F4914F6CDD1DUL;
        }
    }
}
