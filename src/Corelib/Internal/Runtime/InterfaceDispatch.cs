// Resolves interface calls for RhpInitialDynamicInterfaceDispatch (Native/runtime.asm).
// Placeholder until the resolver lands: an interface call that reaches it throws.
using System;
using System.Runtime;

namespace Internal.Runtime
{
    internal static unsafe class InterfaceDispatch
    {
        [RuntimeExport("ExoSharpResolveInterface")]
        public static nint Resolve(nint cell, object self) => throw new NotSupportedException("interface dispatch");
    }
}
