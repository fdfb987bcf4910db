// The compiler's type descriptor (x64, IlcDehydrate=false), read by casts, allocation and
// interface dispatch. Layout: ../shared/RUNTIME-FACTS.md. Only the fields we use are named.
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

        /// <summary>The base type of a class; null for interfaces, value types' base is ValueType.</summary>
        public MethodTable* BaseType => IsParameterized || IsInterface ? null : RelatedType;

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

        public static MethodTable* OfObject(object o) => o.m_pEEType;
    }
}
