// Volatile reads and writes of memory another agent changes (a device through DMA, another
// address space's owner): each access is done exactly once, in program order, never cached in
// a register. x86-64 orders plain loads and stores already (TSO), so only the compiler needs
// telling; the volatile fields of the wrappers below do that.
using System.Runtime.CompilerServices;

namespace System.Threading
{
    public static class Volatile
    {
        private struct VolatileUInt16 { public volatile ushort Value; }
        private struct VolatileUInt32 { public volatile uint Value; }
        private struct VolatileUIntPtr { public volatile nuint Value; }

        public static ushort Read(ref ushort location) => Unsafe.As<ushort, VolatileUInt16>(ref location).Value;
        public static void Write(ref ushort location, ushort value) => Unsafe.As<ushort, VolatileUInt16>(ref location).Value = value;
        public static uint Read(ref uint location) => Unsafe.As<uint, VolatileUInt32>(ref location).Value;
        public static void Write(ref uint location, uint value) => Unsafe.As<uint, VolatileUInt32>(ref location).Value = value;
        public static ulong Read(ref ulong location) => Unsafe.As<ulong, VolatileUIntPtr>(ref location).Value;
        public static void Write(ref ulong location, ulong value) => Unsafe.As<ulong, VolatileUIntPtr>(ref location).Value = (nuint)value;
    }
}
