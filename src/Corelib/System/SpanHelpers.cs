// The memory primitives ILCompiler calls by name (Memmove, ClearWithoutReferences, Fill).
// Memmove handles overlap in both directions. Byte loops: correct first, fast later.
using System.Runtime.CompilerServices;

namespace System
{
    internal static unsafe class SpanHelpers
    {
        public static void Memmove(ref byte destination, ref byte source, nuint length)
        {
            byte* dst = (byte*)Unsafe.AsPointer(ref destination);
            byte* src = (byte*)Unsafe.AsPointer(ref source);
            if (dst == src || length == 0) return;
            if (dst < src || dst >= src + length)
            {
                nuint i = 0;
                for (; i + 8 <= length; i += 8) *(ulong*)(dst + i) = *(ulong*)(src + i);
                for (; i < length; i++) dst[i] = src[i];
            }
            else
            {
                nuint i = length;
                for (; i >= 8; i -= 8) *(ulong*)(dst + i - 8) = *(ulong*)(src + i - 8);
                for (; i > 0; i--) dst[i - 1] = src[i - 1];
            }
        }

        public static void ClearWithoutReferences(ref byte b, nuint byteLength) => Fill(ref b, byteLength, 0);

        public static void ClearWithReferences(ref nint ip, nuint pointerSizeLength) =>
            Fill(ref Unsafe.As<nint, byte>(ref ip), pointerSizeLength * (nuint)sizeof(nint), 0);

        public static void Fill(ref byte destination, nuint byteCount, byte value)
        {
            byte* dst = (byte*)Unsafe.AsPointer(ref destination);
            ulong pattern = value * 0x0101010101010101UL;
            nuint i = 0;
            for (; i + 8 <= byteCount; i += 8) *(ulong*)(dst + i) = pattern;
            for (; i < byteCount; i++) dst[i] = value;
        }
    }
}
