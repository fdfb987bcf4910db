// The collector as .NET programs see it: Collect, GetTotalMemory, KeepAlive, CollectionCount.
// Whether a collector runs is the platform's choice (the kernel's Core/Collector.cs, ExOS's
// Collector.cs); without one Collect does nothing and memory is never reclaimed.
// Missing: generations (CollectionCount answers the same for every generation), finalizers.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    public static class GC
    {
        /// <summary>A full, blocking collection (when a collector is installed).</summary>
        public static void Collect() => GlobalHeap.Collect();

        public static void Collect(int generation) => GlobalHeap.Collect();

        /// <summary>Bytes of the heap in use (objects and native blocks), after a collection when asked.</summary>
        public static long GetTotalMemory(bool forceFullCollection)
        {
            if (forceFullCollection) GlobalHeap.Collect();
            return (long)GlobalHeap.InUseBytes;
        }

        /// <summary>Keeps obj reachable up to this call (the call itself uses it).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void KeepAlive(object obj) { }

        public static int CollectionCount(int generation) => (int)GarbageCollector.Collections;

        public static int MaxGeneration => 0;
    }
}
