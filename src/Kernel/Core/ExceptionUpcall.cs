// Sends a CPU exception from user mode, or a slice upcall, to the environment's own handler:
// an ExceptionFrame (vector, error code, fault address, every register) is written on its
// exception stack (below the current rsp when it was already on it: nested upcalls) and the
// environment resumes at the handler with rdi and rsp pointing at the frame. The handler
// resumes the faulting code by itself. Everything is checked at delivery time; a bad
// handler or stack ends the environment with a line naming the address.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class ExceptionUpcall
{
    private const ulong RedZone = 128;

    /// <summary>How far below its top the exception stack reaches (for nesting).</summary>
    public const ulong StackSpan = 64 * 1024;

    /// <summary>rflags bits the handler starts without: DF (the ABI) and TF (a program
    /// that single-steps itself gets its #DB upcalls in an untraced handler).</summary>
    public const ulong HandlerClears = 0x500;

    public enum Outcome { Delivered, NoHandler, Refused }

    /// <summary>Is rsp on env's exception stack (so a new frame must go below it)?</summary>
    public static bool OnExceptionStack(Environment env, ulong rsp) =>
        rsp <= env.ExceptionStackTop && rsp > env.ExceptionStackTop - StackSpan;

    /// <summary>Precondition: the exception came from user mode in env, whose space is active.
    /// A delivery off the exception stack teaches UpcallCache that the next may take the
    /// fast path in stubs.asm.</summary>
    public static Outcome Deliver(Environment env, TrapFrame* frame, ulong faultAddress)
    {
        bool nested = OnExceptionStack(env, frame->Rsp);
        Outcome outcome = Deliver(env, frame, env.ExceptionEntry, frame->Vector, frame->ErrorCode, faultAddress);
        if (outcome == Outcome.Delivered && !nested) UpcallCache.Remember(env, env.ExceptionEntry, frame->Rsp, env.ExceptionStackTop);
        return outcome;
    }

    /// <summary>Any upcall: the frame's registers go on env's exception stack with vector,
    /// and env resumes at entry. Precondition: env's space is active.</summary>
    public static Outcome Deliver(Environment env, TrapFrame* frame, ulong entry, ulong vector, ulong errorCode, ulong faultAddress)
    {
        ulong top = env.ExceptionStackTop;
        if (entry == 0) return Outcome.NoHandler;
        ulong entryPage = env.Space.Query(entry);
        if (!AddressSpace.IsUserRange(entry, 1) || (entryPage & AddressSpace.Present) == 0 || (entryPage & AddressSpace.NoExecute) != 0)
        {
            Refuse(env, vector, frame, "its handler address ", entry, AddressSpace.IsUserRange(entry, 1) ? " is not mapped executable" : " is not in user space");
            return Outcome.Refused;
        }
        ulong size = (ulong)sizeof(ExceptionFrame);
        ulong rsp = frame->Rsp;
        // Nested: the handler faulted on its own stack; keep what it has there.
        bool nested = OnExceptionStack(env, rsp);
        ulong at = ((nested ? rsp - RedZone : top) - size) & ~63UL;   // 64: room for an XSAVE area below
        if (!AddressSpace.IsUserRange(top - 1, 1) || !UserMemory.CanAccess(env.Space, at, size, true))
        {
            Refuse(env, vector, frame, "its exception stack at ", at, nested ? " overflowed" : " is not mapped writable");
            return Outcome.Refused;
        }
        var e = (ExceptionFrame*)at;
        e->Vector = vector;
        e->ErrorCode = errorCode;
        e->FaultAddress = faultAddress;
        // TrapFrame's general registers are in Registers' order (r15 first, rax last).
        System.Buffer.MemoryCopy(frame, &e->Registers, 15 * 8, 15 * 8);
        e->Registers.Rip = frame->Rip;
        e->Registers.Rflags = frame->Rflags;
        e->Registers.Rsp = frame->Rsp;
        frame->Rip = entry;
        frame->Rsp = at;
        frame->Rdi = at;
        frame->Rflags = UserContext.SanitizeFlags(frame->Rflags) & ~HandlerClears;
        return Outcome.Delivered;
    }

    private static void Refuse(Environment env, ulong vector, TrapFrame* frame, string what, ulong address, string why)
    {
        env.WriteLinePrefix();
        Console.Write("killed: ");
        Console.Write(vector == UpcallVector.SliceStart ? "slice start upcall" : vector == UpcallVector.SliceEnd ? "slice end upcall" : ExceptionNames.Of(vector));
        Console.Format(" at rip {x}, and ", frame->Rip);
        Console.Write(what);
        Console.WriteHex(address);
        Console.WriteLine(why);
    }
}
