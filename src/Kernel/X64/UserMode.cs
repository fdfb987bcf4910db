// Into ring 3 from a saved context (exo_resume_user in stubs.asm). Never returns: the next
// kernel entry starts afresh at the top of the trap stack.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.Kernel.X64;

internal static unsafe class UserMode
{
    /// <summary>Precondition: interrupts off; the context's address space is active.</summary>
    [RuntimeImport("exo_resume_user")]
    [MethodImpl(MethodImplOptions.InternalCall)]
    public static extern void Resume(byte* context);

    /// <summary>Waits for the next interrupt with interrupts on (exo_idle). Precondition:
    /// interrupts off; they are off again on return.</summary>
    [RuntimeImport("exo_idle")]
    [MethodImpl(MethodImplOptions.InternalCall)]
    public static extern void Idle();
}
