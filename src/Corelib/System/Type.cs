// System.Type, needed by the compiler for typeof; it carries only the type handle.
namespace System
{
    public abstract class Type
    {
        public abstract RuntimeTypeHandle TypeHandle { get; }

        public static Type GetTypeFromHandle(RuntimeTypeHandle handle) => new RuntimeType(handle);
    }
}
