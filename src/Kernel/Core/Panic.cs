// The kernel's last words: prints "kernel: PANIC: <reason>" (plus registers and the C# method
// at the faulting RIP when a trap caused it) and powers off with status 127. Never returns.
// Must not allocate: the heap may be what broke.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
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
                Console.Write("kernel: at ");
                Symbols.WriteLocation(Symbols.Kernel, frame->Rip);
                Console.Write('\n');
                frame->Dump();
            }
            PowerOff.Exit(PowerOff.StatusPanic);
        }
    }
}
