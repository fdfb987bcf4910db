// System calls from foreign code: a `syscall` instruction whose return address is at or below
// the environment's ForeignLimit (set by the ForeignSyscalls call) is no system call of ours.
// syscall_entry saves the caller as for any call and comes here; the registers go to the
// exception handler unchanged as an UpcallVector.ForeignSyscall upcall (the number in Rax and
// ErrorCode), so a library OS serves another kernel's ABI in the same space. A delivery off the
// exception stack teaches UpcallCache, so the next such call takes stubs.asm's foreign_fast,
// which writes the same frame without C#. Interrupts off.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class ForeignSyscall
{
    /// <summary>Whether the call that built frame came from env's foreign code.</summary>
    /// <summary>Delivers the upcall (the return to user mode goes to the handler), or ends env
    /// when it has no usable handler. Precondition: the call came from env's foreign code
    /// (its return address at or below env's foreign limit: syscall_entry decides).</summary>
    public static void Deliver(Environment env, TrapFrame* frame)
    {
        bool nested = ExceptionUpcall.OnExceptionStack(env, frame->Rsp);
        ExceptionUpcall.Outcome outcome = ExceptionUpcall.Deliver(env, frame, env.ExceptionEntry, UpcallVector.ForeignSyscall, frame->Rax, 0);
        if (outcome == ExceptionUpcall.Outcome.Delivered)
        {
            if (!nested) UpcallCache.Remember(env, env.ExceptionEntry, frame->Rsp, env.ExceptionStackTop);   // stubs.asm's foreign_fast may repeat it
            return;
        }
        if (outcome == ExceptionUpcall.Outcome.NoHandler)
        {
            env.WriteLinePrefix();
            Console.Format("killed: foreign system call {} with no exception handler at rip {x}\n", frame->Rax, frame->Rip);
        }
        EnvTable.Destroy(env, EnvTable.StatusKilled);
        Scheduler.RunNext();
    }

    /// <summary>ForeignSyscalls(target, limit). Precondition: target checked by the caller.</summary>
    public static long Set(Environment target, ulong limit)
    {
        if (limit >= UserLayout.End) return (long)Error.BadAddress;
        Scheduler.SetForeignLimit(target, limit);
        return 0;
    }
}
