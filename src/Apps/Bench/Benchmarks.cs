// First counts of the kernel's primitives, in time-stamp counter ticks (guest instructions
// when QEMU runs with -icount shift=0): a null system call, an exception upcall round trip
// (ud2, handled in user space, resumed without the kernel) and an IPC round trip (call and
// reply-and-wait). Each figure is a median over many runs, with the timer's own cost taken
// off. Prints "BENCH <operation> median=<n> min=<n> max=<n>". make bench will grow from here.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Bench
{
    internal static unsafe class Benchmarks
    {
        private const int Runs = 201;

        [RuntimeImport("bench_rdtsc")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Tsc();
        [RuntimeImport("bench_ud2")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Ud2();

        private static ulong s_overhead;

        private static void Report(string name, ulong* samples)
        {
            for (int i = 1; i < Runs; i++)
                for (int j = i; j > 0 && samples[j - 1] > samples[j]; j--)
                {
                    ulong t = samples[j]; samples[j] = samples[j - 1]; samples[j - 1] = t;
                }
            ulong Adjust(ulong v) => v > s_overhead ? v - s_overhead : 0;
            System.Console.WriteLine("BENCH " + name + " median=" + Adjust(samples[Runs / 2]).ToString() +
                                     " min=" + Adjust(samples[0]).ToString() + " max=" + Adjust(samples[Runs - 1]).ToString());
        }

        private static void SkipUd2(ExceptionFrame* frame) => frame->Registers.Rip += 2;

        private static void Server()
        {
            IpcMessage message;
            SystemCall.IpcWait(&message);
            while (true)
            {
                ulong caller = message.From;
                IpcMessage reply = default;
                reply.Word0 = message.Word0 + 1;
                SystemCall.IpcReply(caller, &reply, &message);
            }
        }

        public static int Main(string arguments)
        {
            ulong* samples = stackalloc ulong[Runs];
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                samples[i] = Tsc() - t0;
            }
            for (int i = 1; i < Runs; i++)
                for (int j = i; j > 0 && samples[j - 1] > samples[j]; j--)
                {
                    ulong t = samples[j]; samples[j] = samples[j - 1]; samples[j - 1] = t;
                }
            s_overhead = samples[Runs / 2];

            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                SystemCall.EnvId();
                samples[i] = Tsc() - t0;
            }
            Report("null_syscall", samples);

            Exceptions.SetHandler(&SkipUd2);
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                Ud2();
                samples[i] = Tsc() - t0;
            }
            Report("upcall_roundtrip", samples);

            long child = Process.Fork();
            if (child == 0)
            {
                Server();
                return 0;
            }
            ulong server = (ulong)SystemCall.EnvIdOf((ulong)child);
            IpcMessage m = default;
            while (SystemCall.IpcCall(server, &m) == (long)Error.NotReceiving) SystemCall.Yield(server);
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                SystemCall.IpcCall(server, &m);
                samples[i] = Tsc() - t0;
            }
            Report("ipc_roundtrip", samples);
            SystemCall.EnvDestroy((ulong)child);
            return 0;
        }
    }
}
