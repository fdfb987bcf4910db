// Allocation, boxing and runtime entry points, under the names ILCompiler calls. Objects come
// from GlobalHeap (zeroed there) and marked as objects (a platform collector may free them:
// GarbageCollector.cs; the kernel has one). Throws go to RhpThrowEx (Native/exceptions.asm)
// and ExceptionHandling.cs; a fail-fast goes straight to the platform's unhandled hook.
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;

namespace System.Runtime
{
    internal static unsafe class RuntimeExports
    {
        [RuntimeImport("ExoSharpUnhandledException")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void PlatformUnhandledException(object exception);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static object AllocateObject(MethodTable* type, nuint size)
        {
            void* memory = GlobalHeap.TryAllocateObjectFast(type, size);    // zeroed, the MethodTable set
            if (memory == null) return AllocateObjectSlow(type, size);
            return Unsafe.As<nint, object>(ref *(nint*)&memory);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static object AllocateObjectSlow(MethodTable* type, nuint size)
        {
            void* memory = GlobalHeap.AllocateObject(type, size);     // zeroed, the MethodTable set
            if (memory == null) OutOfMemory();
            return Unsafe.As<nint, object>(ref *(nint*)&memory);
        }

        private static void OutOfMemory()
        {
            // Allocating the exception itself could fail too: use a preallocated message path.
            GlobalHeap.ReportOutOfMemory();
        }

        /// <summary>RhpNewFast is Native/runtime.asm's bump from the heap's allocation area; this is
        /// where it goes when the object does not fit there (or its fast path is off).</summary>
        [RuntimeExport("ExoSharpNewObjectSlow")]
        public static object NewObjectSlow(MethodTable* type) => AllocateObjectSlow(type, type->BaseSize);

        public static object NewFast(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewFinalizable")]
        public static object NewFinalizable(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewFastAlign8")]
        public static object NewFastAlign8(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewFastMisalign")]
        public static object NewFastMisalign(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewArrayFast")]
        public static object NewArrayFast(MethodTable* type, int length)
        {
            if (length < 0) throw new OverflowException();
            ulong size = type->BaseSize + (ulong)type->ComponentSize * (uint)length;
            if (size > int.MaxValue) throw new OutOfMemoryException();
            object array = AllocateObject(type, (nuint)((size + 7) & ~7UL));
            Unsafe.As<RawArrayData>(array).Length = (uint)length;
            return array;
        }

        [RuntimeExport("RhpNewPtrArrayFast")]
        public static object NewPtrArrayFast(MethodTable* type, int length) => NewArrayFast(type, length);

        [RuntimeExport("RhpNewArrayFastAlign8")]
        public static object NewArrayFastAlign8(MethodTable* type, int length) => NewArrayFast(type, length);

        [RuntimeExport("RhNewString")]
        public static object NewStringExport(MethodTable* type, int length) => NewArrayFast(type, length);

        internal static string NewString(int length) => Unsafe.As<string>(NewArrayFast(MethodTable.Of<string>(), length));

        [RuntimeExport("RhNewObject")]
        public static object RhNewObject(MethodTable* type) => NewFast(type);

        [RuntimeExport("RhNewArray")]
        public static object RhNewArray(MethodTable* type, int length) => NewArrayFast(type, length);

        [RuntimeExport("RhBox")]
        public static object RhBox(MethodTable* type, ref byte data)
        {
            if (type->IsNullable)
            {
                // Nullable<T> boxes as T, or as null when it has no value (hasValue is the first byte).
                if (data == 0) return null;
                MethodTable* valueType = type->NullableType;
                object boxedValue = NewFast(valueType);
                Buffer.BulkMoveWithWriteBarrier(ref Unsafe.As<RawData>(boxedValue).Data, ref Unsafe.Add(ref data, type->NullableValueOffset), valueType->ValueTypeSize);
                return boxedValue;
            }
            object boxed = NewFast(type);
            Buffer.BulkMoveWithWriteBarrier(ref Unsafe.As<RawData>(boxed).Data, ref data, type->ValueTypeSize);
            return boxed;
        }

        [RuntimeExport("RhUnbox")]
        public static void RhUnbox(object obj, ref byte data, MethodTable* type)
        {
            // Only Nullable<T> goes through here: data receives hasValue and the value.
            if (obj == null)
            {
                SpanHelpers.ClearWithoutReferences(ref data, type->ValueTypeSize);
                return;
            }
            MethodTable* valueType = type->NullableType;
            if (obj.m_pEEType != valueType) throw new InvalidCastException();
            data = 1;
            Buffer.BulkMoveWithWriteBarrier(ref Unsafe.Add(ref data, type->NullableValueOffset), ref Unsafe.As<RawData>(obj).Data, valueType->ValueTypeSize);
        }

        [RuntimeExport("RhUnbox2")]
        public static ref byte RhUnbox2(MethodTable* type, object obj)
        {
            if (obj == null) ThrowHelpers.ThrowNullReferenceException();
            if (obj.m_pEEType != type) throw new InvalidCastException();
            return ref Unsafe.As<RawData>(obj).Data;
        }

        [RuntimeExport("RhUnboxNullable")]
        public static void RhUnboxNullable(ref byte data, MethodTable* type, object obj) => RhUnbox(obj, ref data, type);

        [RuntimeExport("RhUnboxTypeTest")]
        public static void RhUnboxTypeTest(MethodTable* type, MethodTable* boxType)
        {
            if (type != boxType) throw new InvalidCastException();
        }

        [RuntimeExport("RhpFallbackFailFast")]
        public static void FallbackFailFast()
        {
            PlatformUnhandledException(new InvalidOperationException("fail fast"));
            while (true) { }
        }

        [RuntimeExport("RhpReversePInvoke")]
        public static void ReversePInvoke(nint frame) { }

        [RuntimeExport("RhpReversePInvokeReturn")]
        public static void ReversePInvokeReturn(nint frame) { }

        [RuntimeExport("RhpPInvoke")]
        public static void PInvoke(nint frame) { }

        [RuntimeExport("RhpPInvokeReturn")]
        public static void PInvokeReturn(nint frame) { }

        [RuntimeExport("RhpGcPoll")]
        public static void GcPoll() { }

        [RuntimeExport("memset")]
        public static void* MemSet(byte* destination, int value, nuint count)
        {
            SpanHelpers.Fill(ref *destination, count, (byte)value);
            return destination;
        }

        [RuntimeExport("memcpy")]
        public static void* MemCpy(byte* destination, byte* source, nuint count)
        {
            SpanHelpers.Memmove(ref *destination, ref *source, count);
            return destination;
        }

        [RuntimeExport("memmove")]
        public static void* MemMove(byte* destination, byte* source, nuint count)
        {
            SpanHelpers.Memmove(ref *destination, ref *source, count);
            return destination;
        }
    }
}
