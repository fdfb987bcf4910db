// Every interrupt and exception lands here (from isr_common in stubs.asm), interrupts off.
// A CPU exception in user mode goes to the environment's exception handler
// (ExceptionUpcall) or, without one, kills it with a line naming the exception, its error
// code and address, and the faulting RIP (the host's tools/symbolize.py names its C# method);
// in kernel mode it is a panic.
// Hardware interrupts: the timer tick runs the subsystems' tick work and ends the running slice;
// device lines go to their drivers (X64.InterruptLines), from user mode or from the idle loop.
using System.Runtime;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Traps
{
    [RuntimeExport("ExoSharpTrap")]
    public static void Handle(TrapFrame* frame)
    {
        WallClock.EndIdle();
        Running.Sync();
        ulong vector = frame->Vector;
        if (vector >= Pic.VectorBase)
        {
            int line = (int)vector - Pic.VectorBase;
            if (line == 0)
            {
                Accounts.Charging = null;           // what the timer path allocates is the kernel's
                WallClock.Tick();
                Revocation.Tick();
                EnvTable.ReapSome();
                Subsystems.Tick();
            }
            else
            {
                InterruptLines.Dispatch(line);
            }
            Pic.EndOfInterrupt(line);
            Environment current = Scheduler.Current;
            if (line != 0 || !frame->FromUser || current == null) return;
            if (TimeLimit.Exceeded(current)) KillForTime(current, frame);
            Scheduler.Tick(frame);
            return;
        }
        if (frame->FromUser && Scheduler.Current != null)
        {
            Environment env = Scheduler.Current;
            ulong faultAddress = vector == ExceptionNames.PageFault ? Cpu.ReadCr2() : 0;
            ExceptionUpcall.Outcome outcome = ExceptionUpcall.Deliver(env, frame, faultAddress);
            if (outcome == ExceptionUpcall.Outcome.Delivered) return;
            if (outcome == ExceptionUpcall.Outcome.NoHandler) WriteKillLine(env, frame, faultAddress);
            EnvTable.Destroy(env, EnvTable.StatusKilled);
            Scheduler.RunNext();
        }
        Console.Write("kernel: ");
        Console.Write(ExceptionNames.Of(vector));
        Console.Format(" in kernel mode, error code {x}", frame->ErrorCode);
        if (vector == ExceptionNames.PageFault) Console.Format(", cr2 {x}", Cpu.ReadCr2());
        Console.Write('\n');
        Panic.Halt(ExceptionNames.Of(vector), frame);
    }

    /// <summary>The kill line of a fault no handler took: the exception, its error code (and
    /// for a page fault the address), the rip. A library OS explains its own faults before
    /// they come here (ExOS ends through Abort with its account).</summary>
    private static void WriteKillLine(Environment env, TrapFrame* frame, ulong address)
    {
        env.WriteLinePrefix();
        Console.Write("killed: ");
        Console.Write(ExceptionNames.Of(frame->Vector));
        Console.Format(", error code {x}", frame->ErrorCode);
        if (frame->Vector == ExceptionNames.PageFault) Console.Format(", address {x}", address);
        Console.Format(" at rip {x}\n", frame->Rip);
    }

    private static void KillForTime(Environment env, TrapFrame* frame)
    {
        env.WriteLinePrefix();
        Console.Format("killed: used up its CPU time limit ({} s, kernel option cpulimit) at rip {x}\n", TimeLimit.Ticks / Pit.Hz, frame->Rip);
        EnvTable.Destroy(env, EnvTable.StatusKilled);
        Scheduler.RunNext();
    }
}
