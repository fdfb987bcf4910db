// The compiler's type descriptor (x64, IlcDehydrate=false), read by casts, allocation and
// interface dispatch. Layout: ../shared/RUNTIME-FACTS.md. Only the fields we use are named.
// The 32-bit relative fields after the interface map are, in order: TypeManager, WritableData
// (always), DispatchMap, Finalizer, SealedVTable, GenericDefinition, GenericComposition (each
// only when its flag says so). Missing: dynamic (runtime-built) types, which use full pointers.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    [StructLayout(LayoutKind.Explicit)]
    internal unsafe struct MethodTable
    {
        public const uint HasComponentSizeFlag = 0x80000000;
        public const uint KindMask = 0x00030000;
        public const uint KindParameterized = 0x00020000;
        public const uint KindGenericDefinition = 0x00030000;
        public const uint HasDispatchMapFlag = 0x00040000;
        public const uint HasFinalizerFlag = 0x00100000;
        public const uint HasSealedVTableFlag = 0x00400000;
        public const uint GenericVarianceFlag = 0x00800000;
        public const uint HasPointersFlag = 0x01000000;
        public const uint IsGenericFlag = 0x02000000;
        public const uint ValueTypePaddingMask = 0x000000E0;
        public const int ValueTypePaddingShift = 5;
        public const uint NullableValueOffsetMask = 0x00000700;
        public const int NullableValueOffsetShift = 8;
        public const int ElementTypeShift = 26;
        public const uint ElementTypeMask = 0x7C000000;

        public const int ElementTypeValueType = 0x10;
        public const int ElementTypeNullable = 0x12;
        public const int ElementTypeClass = 0x14;
        public const int ElementTypeInterface = 0x15;
        public const int ElementTypeSystemArray = 0x16;
        public const int ElementTypeArray = 0x17;
        public const int ElementTypeSzArray = 0x18;
        public const int ElementTypePointer = 0x1A;

        [FieldOffset(0)] public uint Flags;
        [FieldOffset(4)] public uint BaseSize;
        [FieldOffset(8)] public MethodTable* RelatedType;
        [FieldOffset(16)] public ushort NumVtableSlots;
        [FieldOffset(18)] public ushort NumInterfaces;
        [FieldOffset(20)] public uint HashCode;

        [Intrinsic]
        public static MethodTable* Of<T>() => throw null;

        public bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;
        public ushort ComponentSize => HasComponentSize ? (ushort)Flags : (ushort)0;
        public int ElementType => (int)((Flags & ElementTypeMask) >> ElementTypeShift);
        public bool IsInterface => ElementType == ElementTypeInterface;
        public bool IsArray => ElementType == ElementTypeSzArray || ElementType == ElementTypeArray;
        public bool IsValueType => ElementType < ElementTypeClass;
        public bool IsParameterized => (Flags & KindMask) == KindParameterized;
        public bool IsNullable => ElementType == ElementTypeNullable;
        public bool HasPointers => (Flags & HasPointersFlag) != 0;

        /// <summary>
        /// The base type: System.Array for arrays, ValueType for value types, null for interfaces,
        /// pointers and Object.
        /// </summary>
        public MethodTable* BaseType
        {
            get
            {
                if (IsArray) return Of<Array>();
                return IsParameterized || IsInterface ? null : RelatedType;
            }
        }

        public MethodTable** InterfaceMap
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (MethodTable**)((byte*)self + 24 + NumVtableSlots * 8);
            }
        }

        public nint* Vtable
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (nint*)((byte*)self + 24);
            }
        }

        /// <summary>Start of the optional 32-bit relative fields after the interface map.</summary>
        public int* OptionalFields => (int*)(InterfaceMap + NumInterfaces);

        public bool HasDispatchMap => (Flags & HasDispatchMapFlag) != 0;
        public bool IsFinalizable => (Flags & HasFinalizerFlag) != 0;
        public bool HasSealedVTable => (Flags & HasSealedVTableFlag) != 0;
        public bool HasGenericVariance => (Flags & GenericVarianceFlag) != 0;

        /// <summary>An instantiation of a generic type (not the definition itself).</summary>
        public bool IsGeneric => (Flags & IsGenericFlag) != 0;
        public bool IsGenericDefinition => (Flags & KindMask) == KindGenericDefinition;

        private int* DispatchMapField => OptionalFields + 2;
        private int* FinalizerField => DispatchMapField + (HasDispatchMap ? 1 : 0);
        private int* SealedVTableField => FinalizerField + (IsFinalizable ? 1 : 0);
        private int* GenericDefinitionField => SealedVTableField + (HasSealedVTable ? 1 : 0);
        private int* GenericCompositionField => GenericDefinitionField + (IsGeneric ? 1 : 0);

        /// <summary>
        /// The interface dispatch map, or null: four ushort counts (standard, default, static,
        /// static default), then 3-ushort entries {interface index in THIS type's interface map,
        /// interface slot, implementation slot}; static entries have a fourth ushort. Shared by
        /// all instantiations with the same canonical form.
        /// </summary>
        public ushort* DispatchMap => HasDispatchMap ? (ushort*)RelativePointer.Read(DispatchMapField) : null;

        /// <summary>The code of sealed virtual slot <paramref name="index"/> (a slot number minus NumVtableSlots).</summary>
        public nint GetSealedVirtualSlot(int index)
        {
            int* table = (int*)RelativePointer.Read(SealedVTableField);
            return (nint)RelativePointer.Read(table + index);
        }

        /// <summary>The generic type definition of an instantiation (IsGeneric).</summary>
        public MethodTable* GenericDefinition
        {
            get
            {
                int* relative = GenericDefinitionField;
                // Low bit set: the relative pointer leads to an indirection cell.
                if ((*relative & 1) == 0) return (MethodTable*)RelativePointer.Read(relative);
                return *(MethodTable**)((byte*)relative + (*relative & ~1));
            }
        }

        /// <summary>Number of type parameters: a definition keeps it in the low 16 bits of BaseSize.</summary>
        public int GenericArity => IsGenericDefinition ? (ushort)BaseSize : GenericDefinition->GenericArity;

        /// <summary>Type argument <paramref name="index"/> of an instantiation (IsGeneric).</summary>
        public MethodTable* GetGenericArgument(int index)
        {
            int* composition = GenericCompositionField;
            // One argument: the field points at it. More: the field points at a list of relative pointers.
            int* list = GenericArity == 1 ? composition : (int*)RelativePointer.Read(composition);
            return (MethodTable*)RelativePointer.Read(list + index);
        }

        /// <summary>
        /// Size of a value type's data as a field or local: BaseSize less the header, the
        /// MethodTable pointer and the padding (flags bits 5-7) that rounds boxes up to 8 bytes.
        /// </summary>
        public uint ValueTypeSize => BaseSize - 16 - ((Flags & ValueTypePaddingMask) >> ValueTypePaddingShift);

        /// <summary>The T of a Nullable&lt;T&gt; (its RelatedType is ValueType, like any struct's).</summary>
        public MethodTable* NullableType => GetGenericArgument(0);

        /// <summary>Offset of the value in a Nullable&lt;T&gt;: a power of two kept in flags bits 8-10.</summary>
        public int NullableValueOffset => 1 << (int)((Flags & NullableValueOffsetMask) >> NullableValueOffsetShift);

        /// <summary>
        /// Per type parameter: 0 invariant, 1 covariant (out), 2 contravariant (in), 0x20 array
        /// covariant; null when the type has no variance.
        /// </summary>
        public byte* GenericVariance
        {
            get
            {
                if (!HasGenericVariance) return null;
                if (IsGeneric) return GenericDefinition->GenericVariance;
                return IsGenericDefinition ? (byte*)RelativePointer.Read(GenericCompositionField) : null;
            }
        }

        public static MethodTable* OfObject(object o) => o.m_pEEType;
    }
}
