// Reading a program's argument string: the one decimal parser the programs share (the corelib
// has no int.Parse). Digits from the start; anything else ends the number; none gives 0.
namespace ExoSharp.Apps
{
    internal static class Arguments
    {
        /// <summary>The decimal number text starts with (0 when it starts with no digit), at most limit.</summary>
        public static ulong Number(string text, ulong limit = ulong.MaxValue)
        {
            ulong n = 0;
            for (int i = 0; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++)
            {
                ulong next = n * 10 + (ulong)(text[i] - '0');
                if (next > limit || next < n) return limit;
                n = next;
            }
            return n;
        }
    }
}
