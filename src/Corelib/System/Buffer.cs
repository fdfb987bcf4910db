// Block copies used by the compiler (struct copies with references) and by the corelib.
// Single-threaded, non-moving heap: a write barrier is a plain store, so a plain copy suffices.
using System.Runtime.CompilerServices;

namespace System
{
    public static unsafe class Buffer
    {
        internal static void Memmove(byte* destination, byte* source, nuint byteCount) =>
            SpanHelpers.Memmove(ref *destination, ref *source, byteCount);

        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount) =>
            SpanHelpers.Memmove(ref destination, ref source, byteCount);

        internal static void Memmove<T>(ref T destination, ref T source, nuint elementCount) =>
            SpanHelpers.Memmove(ref Unsafe.As<T, byte>(ref destination), ref Unsafe.As<T, byte>(ref source), elementCount * (nuint)Unsafe.SizeOf<T>());

        public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
        {
            if (sourceBytesToCopy > destinationSizeInBytes) throw new ArgumentOutOfRangeException(nameof(sourceBytesToCopy));
            Memmove((byte*)destination, (byte*)source, (nuint)sourceBytesToCopy);
        }
    }
}
