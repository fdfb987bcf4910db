// The only Type implementation: a wrapper around a MethodTable handle.
namespace System
{
    internal sealed class RuntimeType : Type
    {
        private readonly RuntimeTypeHandle _handle;

        internal RuntimeType(RuntimeTypeHandle handle) { _handle = handle; }

        public override RuntimeTypeHandle TypeHandle => _handle;
    }
}
