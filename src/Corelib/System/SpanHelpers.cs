// The memory primitives ILCompiler calls by name (Memmove, ClearWithoutReferences, Fill).
// Memmove handles overlap in both directions: upward copies and fills are string
// instructions (exo_copy_up, exo_fill in Native/runtime.asm); a downward copy is a loop.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    internal static unsafe class SpanHelpers
    {
        [RuntimeImport("exo_copy_up")] [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void CopyUp(byte* destination, byte* source, nuint length);

        [RuntimeImport("exo_fill")] [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void FillBytes(byte* destination, nuint length, byte value);

        public static void Memmove(ref byte destination, ref byte source, nuint length)
        {
            byte* dst = (byte*)Unsafe.AsPointer(ref destination);
            byte* src = (byte*)Unsafe.AsPointer(ref source);
            if (dst == src || length == 0) return;
            if (dst < src || dst >= src + length)
            {
                CopyUp(dst, src, length);
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
            FillBytes((byte*)Unsafe.AsPointer(ref destination), byteCount, value);
        }
    }
}
