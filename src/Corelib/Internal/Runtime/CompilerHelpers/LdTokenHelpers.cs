// The helpers ILCompiler names for `ldtoken` of a field or method (for example the field
// handle behind RuntimeHelpers.InitializeArray, which the compiler then expands inline).
// A handle is just the compiler's pointer; nothing here resolves it (no reflection).
using System;

namespace Internal.Runtime.CompilerHelpers
{
    internal static unsafe class LdTokenHelpers
    {
        private static RuntimeFieldHandle GetRuntimeFieldHandle(nint handleSignature)
        {
            RuntimeFieldHandle handle = default;
            *(nint*)&handle = handleSignature;
            return handle;
        }

        private static RuntimeMethodHandle GetRuntimeMethodHandle(nint handleSignature)
        {
            RuntimeMethodHandle handle = default;
            *(nint*)&handle = handleSignature;
            return handle;
        }
    }
}
