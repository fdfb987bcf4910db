// ExoSharp's side of make bench (the peer's is src/Bench/Linux/bench.c, the same operations
// on Linux): the kernel's primitives in time-stamp counter ticks (guest instructions when
// QEMU runs with -icount shift=0): a null system call two ways (EnvId, which syscall_entry
// answers as a special case, and EnvIdOf of a child's handle through the general entry: the
// frame saved, C#, a capability lookup, as getppid looks up the parent), an exception upcall round trip (ud2
// handled in user space), Appel and Li's virtual-memory set done with ExOS's user-level
// protection (PageMap with and without Writable), a first-touch fault served by a handler,
// an IPC round trip in registers (IpcCallRegisters, IpcReplyRegisters-and-wait), a switch
// between environments (directed yield), a C# exception thrown and caught across 10 frames
// and packet filters (FilterBenchmarks.cs). Medians over many runs, the timer's own cost
// taken off. Prints "BENCH <operation> median=<n> min=<n> max=<n>".
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Bench
{
    internal static unsafe class Benchmarks
    {
        internal const int Runs = 201;

        [RuntimeImport("bench_rdtsc")] [MethodImpl(MethodImplOptions.InternalCall)] internal static extern ulong Tsc();
        [RuntimeImport("bench_ud2")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Ud2();
        [RuntimeImport("bench_syscall")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern long Syscall1(ulong number, ulong argument);

        private static ulong s_overhead;

        /// <summary>divisor: how many operations each sample covered (the timer overhead is per sample).</summary>
        internal static void Report(string name, ulong* samples, ulong divisor = 1)
        {
            for (int i = 1; i < Runs; i++)
                for (int j = i; j > 0 && samples[j - 1] > samples[j]; j--)
                {
                    ulong t = samples[j]; samples[j] = samples[j - 1]; samples[j - 1] = t;
                }
            ulong overhead = s_overhead / divisor;
            ulong Adjust(ulong v) => v > overhead ? v - overhead : 0;
            System.Console.WriteLine("BENCH " + name + " median=" + Adjust(samples[Runs / 2]).ToString() +
                                     " min=" + Adjust(samples[0]).ToString() + " max=" + Adjust(samples[Runs - 1]).ToString());
        }

        private const ulong Region = 0x5000_0000;
        private const ulong Fresh = 0x5800_0000;
        private const int Pages = 100;
        private static ulong* s_handles;
        private static int s_mode;
        private static ulong s_freshHandle;
        private const int ModeUnprotect = 1, ModeAppel1 = 2, ModeFirstTouch = 3;

        private static void Protect(int page, bool writable) =>
            SystemCall.PageMap(Capability.Self, Region + (ulong)page * 4096, s_handles[page], writable ? PageFlags.Writable : 0);

        /// <summary>All 100 pages in one PageMapRange (their handles are the array s_handles).</summary>
        private static void ProtectAll(bool writable) =>
            SystemCall.PageMapRange(Capability.Self, Region, Pages, s_handles, writable ? PageFlags.Writable : 0);

        /// <summary>upcall_roundtrip's handler, the peer's skip_ud2.</summary>
        private static void SkipUd2(ExceptionFrame* frame) => frame->Registers.Rip += 2;

        private static void Handler(ExceptionFrame* frame)
        {
            if (s_mode == ModeFirstTouch)
            {
                long h = SystemCall.FrameAlloc();
                SystemCall.PageMap(Capability.Self, frame->FaultAddress & ~4095UL, (ulong)h, PageFlags.Writable);
                s_freshHandle = (ulong)h;
                return;
            }
            Protect((int)((frame->FaultAddress - Region) / 4096), true);
            if (s_mode == ModeAppel1) Protect(Pages - 1, false);
        }

        private static void Server()
        {
            IpcMessage message;
            long reply = SystemCall.IpcWaitRegisters(&message);
            while (true) reply = SystemCall.IpcReplyRegisters((ulong)reply, message.Word0 + 1, 0, 0, &message);
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
                Syscall1((ulong)Syscall.EnvId, 0);
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
            Exceptions.SetHandler(&Handler);

            s_handles = (ulong*)System.Runtime.InteropServices.NativeMemory.Alloc(Pages * 8);
            for (int i = 0; i < Pages; i++)
            {
                s_handles[i] = (ulong)SystemCall.FrameAlloc();
                Protect(i, true);
            }
            s_mode = ModeUnprotect;
            for (int i = 0; i < Runs; i++)
            {
                Protect(0, false);
                ulong t0 = Tsc();
                *(byte*)Region = 1;
                samples[i] = Tsc() - t0;
            }
            Report("trap", samples);
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                Protect(0, false);
                samples[i] = Tsc() - t0;
                Protect(0, true);
            }
            Report("prot1", samples);
            for (int i = 0; i < Runs; i++)
            {
                Protect(0, false);
                ulong t0 = Tsc();
                Protect(0, true);
                samples[i] = Tsc() - t0;
            }
            Report("unprot1", samples);
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                ProtectAll(false);
                samples[i] = Tsc() - t0;
                ProtectAll(true);
            }
            Report("prot100", samples);
            for (int i = 0; i < Runs; i++)
            {
                ProtectAll(false);
                ulong t0 = Tsc();
                ProtectAll(true);
                samples[i] = Tsc() - t0;
            }
            Report("unprot100", samples);
            s_mode = ModeAppel1;
            for (int i = 0; i < Runs; i++)
            {
                Protect(0, false);
                ulong t0 = Tsc();
                *(byte*)Region = 1;          // fault: unprotect it, protect another
                samples[i] = Tsc() - t0;
                Protect(Pages - 1, true);
            }
            Report("appel1", samples);
            s_mode = ModeUnprotect;
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                ProtectAll(false);
                for (int p = 0; p < Pages; p++) *(byte*)(Region + (ulong)p * 4096) = 1;
                samples[i] = (Tsc() - t0) / Pages;
            }
            Report("appel2", samples, Pages);
            s_mode = ModeFirstTouch;
            for (int i = 0; i < Runs; i++)
            {
                ulong page = Fresh + (ulong)i * 4096;
                ulong t0 = Tsc();
                *(byte*)page = 1;
                samples[i] = Tsc() - t0;
                SystemCall.FrameFree(s_freshHandle);
            }
            Report("first_touch_fault", samples);

            long child = Process.Fork();
            if (child == 0)
            {
                Server();
                return 0;
            }
            ulong serverId = (ulong)SystemCall.EnvIdOf((ulong)child);
            if (Syscall1((ulong)Syscall.EnvIdOf, (ulong)child) != (long)serverId)
                System.Console.WriteLine("BENCH null_syscall_general: EnvIdOf through bench_syscall gave another answer");
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                Syscall1((ulong)Syscall.EnvIdOf, (ulong)child);
                samples[i] = Tsc() - t0;
            }
            Report("null_syscall_general", samples);
            ulong server = (ulong)child;       // the endpoint: the child's capability
            IpcMessage m = default;
            while (SystemCall.IpcCallRegisters(server, 0, 0, 0, &m) == (long)Error.NotReceiving) SystemCall.Yield(server);
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                SystemCall.IpcCallRegisters(server, m.Word0, 0, 0, &m);
                samples[i] = Tsc() - t0;
            }
            Report("ipc_roundtrip", samples);
            SystemCall.EnvDestroy((ulong)child);

            long partner = Process.Fork();
            if (partner == 0)
                while (true) SystemCall.Yield(Process.Parent);
            ulong partnerId = (ulong)partner;      // a capability with the Yield right
            SystemCall.Yield(partnerId);
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                SystemCall.Yield(partnerId);       // to the partner and back: two switches
                samples[i] = (Tsc() - t0) / 2;
            }
            Report("env_switch", samples, 2);
            SystemCall.EnvDestroy((ulong)partner);
            // C# exceptions (src/Bench/Managed/EhThrowCatch.cs, shared with the .NET side).
            int carried = 0;
            for (int i = 0; i < Runs; i++)
            {
                ulong t0 = Tsc();
                carried += ExoSharp.Bench.Managed.EhThrowCatch.Once(ExoSharp.Bench.Managed.EhThrowCatch.Depth);
                samples[i] = Tsc() - t0;
            }
            if (carried != 42 * Runs) System.Console.WriteLine("bench: eh_throw_catch_10 caught the wrong value");
            Report("eh_throw_catch_10", samples);
            FilterBenchmarks.Run(samples);
            System.Console.WriteLine("BENCH done");
            return 0;
        }
    }
}
