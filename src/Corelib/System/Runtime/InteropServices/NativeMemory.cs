// Unmanaged memory from the same heap as objects, as in .NET: Alloc, AllocZeroed, Free.
// Alloc throws OutOfMemoryException when the heap cannot grow.
using Internal.Runtime;

namespace System.Runtime.InteropServices
{
    public static unsafe class NativeMemory
    {
        public static void* Alloc(nuint byteCount)
        {
            void* p = GlobalHeap.Allocate(byteCount == 0 ? 1 : byteCount);
            if (p == null) throw new OutOfMemoryException();
            return p;
        }

        public static void* AllocZeroed(nuint byteCount)
        {
            void* p = Alloc(byteCount);
            SpanHelpers.ClearWithoutReferences(ref *(byte*)p, byteCount);
            return p;
        }

        public static void Free(void* ptr)
        {
            if (ptr != null) GlobalHeap.Free(ptr);
        }

        public static void Clear(void* ptr, nuint byteCount) => SpanHelpers.ClearWithoutReferences(ref *(byte*)ptr, byteCount);
    }
}
