// Calling-convention modifier for `delegate* unmanaged[SuppressGCTransition]`: the call skips
// the managed-to-native transition, as in .NET (the callee must be short and must not call back).
namespace System.Runtime.CompilerServices
{
    public class CallConvSuppressGCTransition
    {
        private CallConvSuppressGCTransition() { }
    }
}
