// `foreign`: system calls from foreign code go to this program's own handler. It copies a
// little Linux-convention code (foreign.asm) to 0x400000, asks the kernel (ForeignSyscalls)
// to send syscalls from below 0x500000 to its exception handler, and jumps there. The handler
// serves getpid, write, close and shmget Linux's way, checks that the kernel's fast paths for
// EnvId and PageMapOne (the same numbers) stayed out of it, and prints what it got.
// `foreign nohandler`: the same code with no handler is killed with a clear line.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Foreign
{
    internal static unsafe class ForeignCalls
    {
        private const ulong CodeAt = 0x400000, StackPage = 0x480000, Limit = 0x500000;

        [RuntimeImport("foreign_code_start")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern byte* CodeStart();
        [RuntimeImport("foreign_code_limit")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern byte* CodeLimit();
        [RuntimeImport("foreign_enter")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Enter(ulong rip, ulong rsp);

        private static int s_calls;

        public static int Main(string arguments)
        {
            bool handler = arguments != "nohandler";
            long r = Memory.AllocatePage(CodeAt, PageFlags.Writable | PageFlags.Executable);
            if (r >= 0) r = Memory.AllocatePage(StackPage);
            if (r < 0)
            {
                System.Console.WriteLine("foreign: no memory: " + r.ToString());
                return 1;
            }
            byte* from = CodeStart(), to = CodeLimit();
            System.Buffer.MemoryCopy(from, (void*)CodeAt, 4096, to - from);
            if (handler) Exceptions.SetHandler(&Handle);
            else Exceptions.SetUpcallOnly(0, 0);                // not even ExOS's default handler
            long set = SystemCall.ForeignSyscalls(Capability.Self, Limit);
            long bad = SystemCall.ForeignSyscalls(Capability.Self, UserLayout.End);
            System.Console.WriteLine("foreign: ForeignSyscalls below 0x" + Limit.ToString("x") + " gave " + set.ToString() +
                ", at the end of user space " + bad.ToString() + (set == 0 && bad == (long)Error.BadAddress ? " ok" : " WRONG"));
            Enter(CodeAt, StackPage + 4096);
            return 1;
        }

        private static void Handle(ExceptionFrame* frame)
        {
            if (frame->Vector != UpcallVector.ForeignSyscall)
            {
                System.Console.WriteLine("foreign: unexpected upcall " + frame->Vector.ToString() + " at rip 0x" + frame->Registers.Rip.ToString("x") + " WRONG");
                SystemCall.Exit(1);
            }
            s_calls++;
            Registers* r = &frame->Registers;
            bool fromCode = r->Rip > CodeAt && r->Rip < CodeAt + 4096 && r->Rcx == r->Rip && frame->ErrorCode == r->Rax;
            if (!fromCode) System.Console.WriteLine("foreign: call " + r->Rax.ToString() + " has rip 0x" + r->Rip.ToString("x") + " rcx 0x" + r->Rcx.ToString("x") + " WRONG");
            switch (r->Rax)
            {
                case 39: r->Rax = 4242; break;
                case 1:
                    System.Console.Write("foreign: write(" + r->Rdi.ToString() + "): ");
                    SystemCall.ConsoleWrite((byte*)r->Rsi, (long)r->Rdx);
                    r->Rax = r->Rdx;
                    break;
                case 3: r->Rax = unchecked((ulong)-9); break;     // EBADF
                case 29: r->Rax = unchecked((ulong)-38); break;   // ENOSYS
                case 231:
                {
                    long pid = (long)r->Rdi, wrote = (long)r->Rsi, close = (long)r->Rdx, shmget = (long)r->R10;
                    bool ok = pid == 4242 && wrote == 24 && close == -9 && shmget == -38 && s_calls == 5;
                    System.Console.WriteLine("foreign: exit_group after " + s_calls.ToString() + " upcalls: getpid " + pid.ToString() +
                        ", write " + wrote.ToString() + ", close " + close.ToString() + ", shmget " + shmget.ToString() + (ok ? " ok" : " WRONG"));
                    SystemCall.Exit(ok ? 0 : 1);
                    break;
                }
                default: r->Rax = unchecked((ulong)-38); break;
            }
        }
    }
}
