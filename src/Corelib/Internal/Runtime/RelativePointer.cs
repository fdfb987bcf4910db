// Reads the 32-bit self-relative pointers that ILCompiler 10 emits in module tables and
// MethodTable optional fields.
namespace Internal.Runtime
{
    internal static unsafe class RelativePointer
    {
        public static void* Read(void* at) => (byte*)at + *(int*)at;
    }
}
