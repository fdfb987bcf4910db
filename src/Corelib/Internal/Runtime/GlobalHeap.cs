// The one heap of a program (kernel or user): objects and NativeMemory come from here.
// When it runs dry it asks the platform for more memory through ExoSharpMoreCore
// (kernel: physical frames; user program: its own arena). Callers keep interrupts off.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static unsafe class GlobalHeap
    {
        private static FreeListHeap s_heap;

        [RuntimeImport("ExoSharpMoreCore")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void* MoreCore(nuint minimumBytes, nuint* grantedBytes);

        [RuntimeImport("ExoSharpUnhandledException")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void PlatformUnhandledException(object exception);

        public static nuint FreeBytes => s_heap.FreeBytes;
        public static nuint TotalBytes => s_heap.TotalBytes;

        public static void* Allocate(nuint size)
        {
            void* p = s_heap.Allocate(size);
            if (p != null) return p;
            nuint granted;
            void* region = MoreCore(size + 64, &granted);
            if (region == null || !s_heap.AddRegion(region, granted)) return null;
            return s_heap.Allocate(size);
        }

        public static void Free(void* p) => s_heap.Free(p);

        /// <summary>Called when even the OutOfMemoryException cannot be allocated: null means out of memory.</summary>
        internal static void ReportOutOfMemory() => PlatformUnhandledException(null);
    }
}
