// Byte-string helpers for ASCII protocol text in buffers (no strings made): comparisons that
// ignore case, and a writer that appends text and numbers to a buffer it never overruns.
using System.Runtime.CompilerServices;

namespace ExoSharp.Apps.Cheetah.Http
{
    public static unsafe class Ascii
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static byte Lower(byte c) => c >= 'A' && c <= 'Z' ? (byte)(c + 32) : c;

        /// <summary>Whether b[0..length) is word (lower case) in any case.</summary>
        public static bool EqualsIgnoreCase(byte* b, int length, string word)
        {
            if (length != word.Length) return false;
            for (int k = 0; k < length; k++) if (Lower(b[k]) != word[k]) return false;
            return true;
        }

        public static bool StartsWithIgnoreCase(byte* b, int length, string word)
        {
            if (length < word.Length) return false;
            for (int k = 0; k < word.Length; k++) if (Lower(b[k]) != word[k]) return false;
            return true;
        }
    }
}
