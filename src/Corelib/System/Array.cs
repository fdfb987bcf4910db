// Base of all arrays. Layout fixed by the compiler: the element count follows the
// MethodTable pointer. Only single-dimensional zero-based arrays are supported.
using System.Runtime.CompilerServices;

namespace System
{
    public abstract class Array
    {
        private readonly int _numComponents;

        public int Length => _numComponents;

        internal ref byte GetRawData() => ref Unsafe.As<RawArrayData>(this).Data;
    }
}
