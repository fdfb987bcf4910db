// The bits of cprintf the JOS programs need: %x and %04x as lowercase hex.
namespace ExoSharp.Apps.Jos
{
    internal static class Format
    {
        public static string Hex(ulong value) => value.ToString("x");

        public static string Hex4(ulong value) => value.ToString("x4");
    }
}
