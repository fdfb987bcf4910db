// JOS lab 4 user/faultregs: every register reaches the page-fault handler exactly as it was
// at the fault ("Registers in UTrapframe OK"), and is exactly restored when the handler
// resumes the faulting code ("Registers after page-fault OK"). faultregs.asm sets them.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultRegs
    {
        private const ulong FaultAddress = 0x55550000;
        private static readonly string[] Names =
        {
            "r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8", "rbp", "rdi", "rsi", "rdx", "rcx", "rbx", "rax", "rip", "rflags", "rsp",
        };

        [RuntimeImport("faultregs_run")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Run();
        [RuntimeImport("faultregs_record_before")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern Registers* Before();
        [RuntimeImport("faultregs_record_after")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern Registers* After();
        [RuntimeImport("faultregs_fault_address")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong FaultRip();

        /// <summary>Compares two register records (rip only when checkRip); prints mismatches.</summary>
        private static bool Same(Registers* a, Registers* b, string what, bool checkRip)
        {
            bool ok = true;
            ulong* x = (ulong*)a, y = (ulong*)b;
            for (int i = 0; i < 18; i++)
            {
                if (i == 15 && !checkRip) continue;
                // rflags: compare the arithmetic flags and DF only (the kernel may set IF, RF).
                ulong mask = i == 16 ? 0xCD5UL : ulong.MaxValue;
                if ((x[i] & mask) == (y[i] & mask)) continue;
                System.Console.WriteLine(what + ": " + Names[i] + " was 0x" + x[i].ToString("x16") + ", is 0x" + y[i].ToString("x16"));
                ok = false;
            }
            return ok;
        }

        private static void Handler(ExceptionFrame* frame)
        {
            if (frame->FaultAddress != FaultAddress)
            {
                System.Console.WriteLine("faultregs: unexpected fault at 0x" + frame->FaultAddress.ToString("x"));
                SystemCall.Exit(1);
            }
            Registers* before = Before();
            before->Rip = FaultRip();
            bool ok = Same(before, &frame->Registers, "UTrapframe", true);
            System.Console.WriteLine(ok ? "Registers in UTrapframe OK" : "Registers in UTrapframe MISMATCH");
            Memory.AllocatePage(FaultAddress);
        }

        public static int Main(string arguments)
        {
            Exceptions.SetHandler(&Handler);
            Run();
            bool ok = Same(Before(), After(), "after page-fault", false);
            System.Console.WriteLine(ok ? "Registers after page-fault OK" : "Registers after page-fault MISMATCH");
            return ok ? 0 : 1;
        }
    }
}
