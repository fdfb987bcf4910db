// Required by ILCompiler (it looks the helper below up by name); no type in ExoSharp
// implements this interface, so the helper is never reached and fails if it is.
using Internal.Runtime;

namespace System.Runtime.InteropServices
{
    public unsafe interface IDynamicInterfaceCastable
    {
        internal static nint GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, MethodTable* interfaceType, ushort slot) =>
            throw new NotSupportedException("IDynamicInterfaceCastable is not supported.");
    }
}
