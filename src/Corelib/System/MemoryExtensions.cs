// Span conversions, as in .NET. C# 14 calls AsSpan(string) for its implicit string to
// ReadOnlySpan<char> conversion. Missing: the search, comparison and trimming extensions.
using System.Runtime.CompilerServices;

namespace System
{
    public static class MemoryExtensions
    {
        // Not `=> text`: C# 14 would turn that conversion into a call to this very method.
        public static ReadOnlySpan<char> AsSpan(this string text) =>
            text is null ? default : new ReadOnlySpan<char>(ref Unsafe.AsRef(in text.GetPinnableReference()), text.Length);

        public static ReadOnlySpan<char> AsSpan(this string text, int start) => AsSpan(text).Slice(start);

        public static ReadOnlySpan<char> AsSpan(this string text, int start, int length) => AsSpan(text).Slice(start, length);

        public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);

        public static Span<T> AsSpan<T>(this T[] array, int start) => new Span<T>(array).Slice(start);

        public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array).Slice(start, length);
    }
}
