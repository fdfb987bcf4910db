// Module startup the real runtime would do: for each module header between the linker's
// __start___modules and __stop___modules, allocate the objects behind static reference
// fields (GC static region) and run the eager class constructors. Needs a working heap.
// Tables hold 32-bit self-relative pointers (ILCompiler 10); see ../shared/BOOT-RECIPE.md.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers
{
    public static unsafe class StartupCodeHelpers
    {
        private const uint ReadyToRunSignature = 0x00525452; // "RTR"
        private const int GCStaticRegion = 201;
        private const int EagerCctor = 205;
        private const nint Uninitialized = 1;
        private const nint HasPreInitializedData = 2;

        /// <summary>Precondition: the heap works; no GC static field has been touched yet.</summary>
        public static void InitializeModules(nint* modulesStart, nint* modulesEnd)
        {
            for (nint* module = modulesStart; module < modulesEnd; module++)
            {
                byte* header = (byte*)*module;
                if (header == null || *(uint*)header != ReadyToRunSignature)
                    throw new BadImageFormatException("bad module header");
                int sections = *(ushort*)(header + 12);
                int entrySize = header[14];
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int i = 0; i < sections; i++)
                    {
                        byte* row = header + 16 + i * entrySize;
                        int id = *(int*)row;
                        byte* start = *(byte**)(row + 8);
                        byte* end = *(byte**)(row + 16);
                        if (pass == 0 && id == GCStaticRegion) InitializeStatics(start, end);
                        if (pass == 1 && id == EagerCctor) RunEagerClassConstructors(start, end);
                    }
                }
            }
        }

        private static void InitializeStatics(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
            {
                nint* cell = (nint*)RelativePointer.Read(entry);
                nint value = (nint)RelativePointer.Read(cell);
                if ((*(int*)cell & Uninitialized) == 0) continue;
                MethodTable* type = (MethodTable*)(value & ~(nint)3);
                object instance = RuntimeExports.RhNewObject(type);
                if ((*(int*)cell & HasPreInitializedData) != 0)
                {
                    byte* data = (byte*)RelativePointer.Read((int*)cell + 1);
                    Buffer.BulkMoveWithWriteBarrier(ref Unsafe.As<RawData>(instance).Data, ref *data, type->BaseSize - 16);
                }
                *cell = Unsafe.As<object, nint>(ref instance);
            }
        }

        private static void RunEagerClassConstructors(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
                ((delegate*<void>)RelativePointer.Read(entry))();
        }
    }
}
