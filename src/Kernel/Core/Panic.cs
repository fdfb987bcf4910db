// The kernel's last words: prints "kernel: PANIC: <reason>" (plus registers, the faulting RIP
// and its callers by the frame-pointer chain, when a trap caused it; tools/symbolize.py names
// them on the host) and powers off with status 127. Never returns.
// Must not allocate: the heap may be what broke.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Panic
{
    private static bool s_panicking;

    public static void Halt(string reason) => Halt(reason, null);

    public static void Halt(string reason, TrapFrame* frame)
    {
        Cpu.DisableInterrupts();
        if (s_panicking)
        {
            Console.WriteLine("kernel: PANIC while panicking");
            PowerOff.Exit(PowerOff.StatusPanic);
        }
        s_panicking = true;
        Console.Write("kernel: PANIC: ");
        Console.WriteLine(reason);
        if (frame != null)
        {
            Console.Format("kernel: at {x}\n", frame->Rip);
            WriteRegisters(frame);
            WriteCallers(frame->Rbp, frame->Rsp);
        }
        PowerOff.Exit(PowerOff.StatusPanic);
    }

    private static void WriteRegisters(TrapFrame* f)
    {
        Reg("rax", f->Rax); Reg(" rbx", f->Rbx); Reg(" rcx", f->Rcx); Reg(" rdx", f->Rdx); Console.Write('\n');
        Reg("rsi", f->Rsi); Reg(" rdi", f->Rdi); Reg(" rbp", f->Rbp); Reg(" rsp", f->Rsp); Console.Write('\n');
        Reg("r8 ", f->R8); Reg(" r9 ", f->R9); Reg(" r10", f->R10); Reg(" r11", f->R11); Console.Write('\n');
        Reg("r12", f->R12); Reg(" r13", f->R13); Reg(" r14", f->R14); Reg(" r15", f->R15); Console.Write('\n');
        Reg("rip", f->Rip); Reg(" rfl", f->Rflags); Reg(" cs ", f->Cs); Reg(" ss ", f->Ss); Console.Write('\n');
    }

    /// <summary>The callers, by the frame-pointer chain the compiler keeps: each frame's saved rbp
    /// and return address, while rbp stays on the same stack, above rsp and rising (64 KiB at most).</summary>
    private static void WriteCallers(ulong rbp, ulong rsp)
    {
        ulong limit = rsp + 0x10000;
        for (int depth = 0; depth < 16 && rbp >= rsp && rbp + 16 <= limit && (rbp & 7) == 0; depth++)
        {
            ulong returnAddress = ((ulong*)rbp)[1];
            if (returnAddress < 0xFFFF_FFFF_8000_0000UL) return;        // not kernel code
            Console.Format("kernel:   called from {x}\n", returnAddress);
            ulong next = ((ulong*)rbp)[0];
            if (next <= rbp) return;
            rbp = next;
        }
    }

    private static void Reg(string name, ulong value)
    {
        if (name[0] != ' ') Console.Write("kernel:   ");
        Console.Write(name);
        Console.Write('=');
        Console.WriteHex(value, 16);
    }
}
