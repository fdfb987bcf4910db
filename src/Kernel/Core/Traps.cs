// Every interrupt and exception lands here (from isr_common in stubs.asm), interrupts off.
// A CPU exception in user mode goes to the environment's exception handler
// (ExceptionUpcall) or, without one, kills it with a line naming the exception, the address,
// the reason and the faulting RIP (the host's tools/symbolize.py names its C# method); in
// kernel mode it is a panic.
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

    private static void WriteKillLine(Environment env, TrapFrame* frame, ulong address)
    {
        ulong vector = frame->Vector;
        env.WriteLinePrefix();
        Console.Write("killed: ");
        Console.Write(ExceptionNames.Of(vector));
        if (vector == ExceptionNames.PageFault)
        {
            ulong error = frame->ErrorCode;
            Console.Write((error & 16) != 0 ? ": execute at " : (error & 2) != 0 ? ": write to " : ": read from ");
            Console.Format("{x} (", address);
            Console.Write(DescribeAddress(env, address, error));
            Console.Write(')');
        }
        else if (vector == ExceptionNames.GeneralProtection)
        {
            Console.Write(": ");
            Console.Write(DescribeProtectionFault(env, frame));
            if (frame->ErrorCode != 0) Console.Format(", error code {x}", frame->ErrorCode);
        }
        Console.Format(" at rip {x}\n", frame->Rip);
    }

    private static void KillForTime(Environment env, TrapFrame* frame)
    {
        env.WriteLinePrefix();
        Console.Format("killed: used up its CPU time limit ({} s, kernel option cpulimit) at rip {x}\n", TimeLimit.Ticks / Pit.Hz, frame->Rip);
        EnvTable.Destroy(env, EnvTable.StatusKilled);
        Scheduler.RunNext();
    }

    private static string DescribeAddress(Environment env, ulong address, ulong error)
    {
        ulong stackBottom = UserLayout.StackTop - UserLayout.StackSize;
        if (address < UserLayout.Base) return "null reference";
        if (address >= Memory.DirectMap) return "kernel memory";
        if (address >= UserLayout.End) return "outside user space";
        if (address < stackBottom && address >= stackBottom - 64 * 1024) return "stack overflow";
        if ((error & 1) == 0) return "not mapped";
        return (error & 2) != 0 ? "page is read-only" : (error & 16) != 0 ? "page is not executable" : "protection violation";
    }

    /// <summary>Names the privileged instruction at RIP when it is one, else says the
    /// likely cause (a non-canonical address or a bad segment).</summary>
    private static string DescribeProtectionFault(Environment env, TrapFrame* frame)
    {
        ulong rip = frame->Rip;
        if (!UserMemory.CanAccess(env.Space, rip, 3, false)) return "bad instruction address";
        byte* code = (byte*)rip;
        byte b0 = code[0], b1 = code[1];
        if (b0 == 0xFA) return "privileged instruction (cli)";
        if (b0 == 0xFB) return "privileged instruction (sti)";
        if (b0 == 0xF4) return "privileged instruction (hlt)";
        if (b0 == 0xE6 || b0 == 0xE7 || b0 == 0xEE || b0 == 0xEF) return "privileged instruction (out)";
        if (b0 == 0xE4 || b0 == 0xE5 || b0 == 0xEC || b0 == 0xED) return "privileged instruction (in)";
        if (b0 == 0xCD) return "software interrupt (int) to a kernel-only vector";
        byte opcode = b0 >= 0x40 && b0 <= 0x4F ? b1 : b0;   // skip a REX prefix
        byte second = b0 >= 0x40 && b0 <= 0x4F ? code[2] : b1;
        if (opcode == 0x0F)
        {
            if (second == 0x22 || second == 0x20) return "privileged instruction (mov to or from a control register)";
            if (second == 0x30) return "privileged instruction (wrmsr)";
            if (second == 0x32) return "privileged instruction (rdmsr)";
            if (second == 0x01) return "privileged instruction (system table or cache control)";
        }
        return "non-canonical address or bad segment";
    }
}
