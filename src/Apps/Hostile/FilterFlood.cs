// The demultiplexer's worst case: filters it cannot merge each run alone on every packet.
// Children (separate owners) each install as many long filters that can never be merged (a
// chain of arithmetic, then reject) as the kernel takes, then the parent classifies a packet
// (asking for the interpreter and 1000 repeats, which only the bench build of the kernel reads). The kernel must refuse
// filters past the instruction budget per packet (OverBudget) and keep the calls' stretch with
// interrupts off short (KernelCheck reports it; tests/Boot/hostile-filterflood.test runs under -icount, so
// it is counted in guest instructions).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class FilterFlood
    {
        private const int Owners = 8, Length = ExecutiveLimits.MaxFilterProgram;
        private const ulong Bound = 200_000;       // guest instructions with interrupts off, at most

        private static long InstallAll(int* installed)
        {
            var program = new ProgramInstruction[Length];
            for (int i = 0; i < Length - 1; i++) program[i] = new ProgramInstruction(0x04, 0, 0, 1);   // add #1
            program[Length - 1] = new ProgramInstruction(0x06, 0, 0, 0);                              // ret #0
            long r;
            *installed = 0;
            while (true)
            {
                fixed (ProgramInstruction* p = program) r = SystemCall.FilterInstall(p, Length);
                if (r < 0) return r;
                (*installed)++;
            }
        }


        public static int Main(string arguments)
        {
            int total = 0;
            string refusals = "";
            long* children = stackalloc long[Owners];
            for (int c = 0; c < Owners; c++)
            {
                long child = Process.Fork();
                if (child == 0)
                {
                    int n;
                    long why = InstallAll(&n);
                    Ipc.Send(Process.Parent, (ulong)n * 100 + (ulong)(-why));
                    IpcMessage m;
                    while (true) SystemCall.Yield();                    // alive, so its filters stay
                }
                children[c] = child;
                ulong value = Ipc.Receive(out _);
                total += (int)(value / 100);
                refusals += " " + Executive.ExecutiveText.Result(-(long)(value % 100));
            }
            int mine;
            long mineWhy = InstallAll(&mine);
            System.Console.WriteLine("filterflood: children installed " + total.ToString() + " filters (refused with" + refusals +
                                     "); we installed " + mine.ToString() + ", then " + Executive.ExecutiveText.Result(mineWhy));
            byte* packet = stackalloc byte[64];
            for (int i = 0; i < 64; i++) packet[i] = 0;
            KernelCheckInfo info;
            bool measured = SystemCall.KernelCheck(&info) >= 0;       // resets the longest stretch
            long owner = SystemCall.Invoke(Syscall.FilterClassify, (ulong)packet, 64, 0, FilterEngine.Interpreter, 1000);   // the bench build's arguments: ignored
            SystemCall.KernelCheck(&info);
            for (int c = 0; c < Owners; c++) SystemCall.EnvDestroy((ulong)children[c]);
            System.Console.WriteLine("filterflood: classified: " + Executive.ExecutiveText.Result(owner));
            if (!measured) return 0;
            bool ok = info.LongestInterruptsOff <= Bound;
            System.Console.WriteLine("filterflood: longest stretch with interrupts off " + info.LongestInterruptsOff.ToString() +
                                     " (cause 0x" + info.LongestCause.ToString("x") + "; at most " + Bound.ToString() + ": " + (ok ? "ok" : "TOO LONG") + ")");
            return ok ? 0 : 1;
        }
    }
}
