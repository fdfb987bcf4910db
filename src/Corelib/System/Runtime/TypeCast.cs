// Cast and array-store helpers that ILCompiler 10 calls by name (is, as, casts, stelem.ref).
// Handles classes, interfaces (flattened interface maps), arrays with reference covariance,
// and boxed value types. Missing: generic variance, IDynamicInterfaceCastable.
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;

namespace System.Runtime
{
    internal static unsafe class TypeCast
    {
        internal static bool AreTypesAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target) return true;
            if (target->IsInterface)
            {
                MethodTable** map = source->InterfaceMap;
                for (int i = 0; i < source->NumInterfaces; i++)
                    if (map[i] == target) return true;
                return false;
            }
            if (source->IsArray)
            {
                if (target->ElementType == MethodTable.ElementTypeSzArray && source->ElementType == MethodTable.ElementTypeSzArray)
                {
                    MethodTable* s = source->RelatedType, t = target->RelatedType;
                    return s == t || (!s->IsValueType && !t->IsValueType && AreTypesAssignable(s, t));
                }
                // Arrays derive from System.Array, which derives from object.
                return target->ElementType == MethodTable.ElementTypeSystemArray || target->ElementType == MethodTable.ElementTypeClass && target->RelatedType == null;
            }
            for (MethodTable* t = source->BaseType; t != null; t = t->BaseType)
                if (t == target) return true;
            return false;
        }

        private static object IsInstanceOfClass(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            for (MethodTable* t = obj.m_pEEType; t != null; t = t->BaseType)
                if (t == targetType) return obj;
            return null;
        }

        private static object CheckCastClass(MethodTable* targetType, object obj)
        {
            if (obj == null || obj.m_pEEType == targetType) return obj;
            return IsInstanceOfClass(targetType, obj) ?? ThrowInvalidCast();
        }

        private static object CheckCastClassSpecial(MethodTable* targetType, object obj) => CheckCastClass(targetType, obj);

        private static object IsInstanceOfInterface(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            MethodTable* source = obj.m_pEEType;
            MethodTable** map = source->InterfaceMap;
            for (int i = 0; i < source->NumInterfaces; i++)
                if (map[i] == targetType) return obj;
            return null;
        }

        private static object CheckCastInterface(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            return IsInstanceOfInterface(targetType, obj) ?? ThrowInvalidCast();
        }

        private static object IsInstanceOfAny(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            return AreTypesAssignable(obj.m_pEEType, targetType) ? obj : null;
        }

        private static object CheckCastAny(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            return AreTypesAssignable(obj.m_pEEType, targetType) ? obj : ThrowInvalidCast();
        }

        private static bool IsInstanceOfException(MethodTable* targetType, object obj) =>
            obj != null && AreTypesAssignable(obj.m_pEEType, targetType);

        private static void StelemRef(object[] array, nint index, object obj)
        {
            if ((nuint)index >= (uint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
            ref object element = ref Unsafe.Add(ref Unsafe.As<byte, object>(ref array.GetRawData()), index);
            if (obj == null)
            {
                element = null;
                return;
            }
            MethodTable* elementType = array.m_pEEType->RelatedType;
            if (obj.m_pEEType != elementType && !AreTypesAssignable(obj.m_pEEType, elementType))
                ThrowHelpers.ThrowArrayTypeMismatchException();
            element = obj;
        }

        private static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
            if (elementType != array.m_pEEType->RelatedType) ThrowHelpers.ThrowArrayTypeMismatchException();
            return ref Unsafe.Add(ref Unsafe.As<byte, object>(ref array.GetRawData()), index);
        }

        private static object ThrowInvalidCast() => throw new InvalidCastException();
    }
}
