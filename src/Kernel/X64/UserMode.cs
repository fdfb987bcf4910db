// Entering ring 3 and coming back: exo_enter_user / exo_leave_user in stubs.asm.
// Enter returns only when a trap or system call handler calls Leave.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.Kernel.X64
{
    internal static unsafe class UserMode
    {
        /// <summary>Runs user code until Leave(value); returns value. Precondition: the user's
        /// address space is active; interrupts off (the user runs with e->Rflags).</summary>
        [RuntimeImport("exo_enter_user")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern long Enter(UserEntry* entry);

        /// <summary>Abandons the current kernel frame and returns value from Enter. Never returns.</summary>
        [RuntimeImport("exo_leave_user")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Leave(long value);
    }
}
