// Packet filters for make bench: FilterClassify per packet with 1, 10 and 100
// filters installed ('udp dst port P' as libpcap compiles it, P = 1000..1099; 64 filters per
// environment is the limit, so a forked child owns the last 50), in the interpreter and in
// compiled code, on a UDP frame the last installed filter claims and on one none claims. The
// whole system call is timed (null_syscall is reported apart; filter_<engine>_0, with no filter
// installed, is the call's fixed cost). Prints "BENCH filter_<engine>_<n>[_miss] ...".
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Bench
{
    internal static unsafe class FilterBenchmarks
    {
        private const uint FirstPort = 1000;
        private const uint MissPort = 9;
        private const int ParentFilters = 50;
        private const int FrameLength = 60;

        /// <summary>tcpdump -dd -y EN10MB 'udp dst port P' (libpcap 1.10.3), P at instructions 5 and 13.</summary>
        private static void UdpDstPort(ProgramInstruction* p, uint port)
        {
            p[0] = new ProgramInstruction(0x28, 0, 0, 0x0000000c);
            p[1] = new ProgramInstruction(0x15, 0, 4, 0x000086dd);
            p[2] = new ProgramInstruction(0x30, 0, 0, 0x00000014);
            p[3] = new ProgramInstruction(0x15, 0, 11, 0x00000011);
            p[4] = new ProgramInstruction(0x28, 0, 0, 0x00000038);
            p[5] = new ProgramInstruction(0x15, 8, 9, port);
            p[6] = new ProgramInstruction(0x15, 0, 8, 0x00000800);
            p[7] = new ProgramInstruction(0x30, 0, 0, 0x00000017);
            p[8] = new ProgramInstruction(0x15, 0, 6, 0x00000011);
            p[9] = new ProgramInstruction(0x28, 0, 0, 0x00000014);
            p[10] = new ProgramInstruction(0x45, 4, 0, 0x00001fff);
            p[11] = new ProgramInstruction(0xb1, 0, 0, 0x0000000e);
            p[12] = new ProgramInstruction(0x48, 0, 0, 0x00000010);
            p[13] = new ProgramInstruction(0x15, 0, 1, port);
            p[14] = new ProgramInstruction(0x6, 0, 0, 0x00040000);
            p[15] = new ProgramInstruction(0x6, 0, 0, 0x00000000);
        }

        /// <summary>Installs 'udp dst port P' for P in [first, end); false (after a line saying why) on an error.</summary>
        private static bool Install(uint first, uint end)
        {
            ProgramInstruction* program = stackalloc ProgramInstruction[16];
            for (uint port = first; port < end; port++)
            {
                UdpDstPort(program, port);
                long r = SystemCall.FilterInstall(program, 16);
                if (r <= 0)
                {
                    System.Console.WriteLine("BENCH filter: installing udp dst port " + port.ToString() + " failed: " + r.ToString());
                    return false;
                }
            }
            return true;
        }

        /// <summary>A 60-byte Ethernet/IPv4/UDP frame to the given destination port.</summary>
        private static void Frame(byte* f, uint port)
        {
            for (int i = 0; i < FrameLength; i++) f[i] = 0;
            for (int i = 0; i < 6; i++) { f[i] = 0x02; f[6 + i] = 0x04; }
            f[12] = 0x08; f[13] = 0x00;                        // IPv4
            f[14] = 0x45; f[16] = 0; f[17] = 46;               // version 4, IHL 5, total length 46
            f[22] = 64; f[23] = 17;                            // TTL, UDP
            f[26] = 10; f[27] = 0; f[28] = 0; f[29] = 1;       // 10.0.0.1
            f[30] = 10; f[31] = 0; f[32] = 0; f[33] = 2;       // 10.0.0.2
            f[34] = 0x13; f[35] = 0x88;                        // source port 5000
            f[36] = (byte)(port >> 8); f[37] = (byte)port;
            f[38] = 0; f[39] = 26;                             // UDP length
        }

        private static void Measure(int n, byte* hit, byte* miss, ulong* samples)
        {
            FilterMatch match;
            for (int e = 0; e < 2; e++)
            {
                ulong engine = e == 0 ? FilterEngine.Interpreter : FilterEngine.Native;
                string name = "filter_" + (e == 0 ? "interp_" : "compiled_") + n.ToString();
                if (n > 0)
                {
                    // The kernel compiles a changed set a slice per call (interpreting it meanwhile):
                    // ask until the engine is the one measured, so no sample includes compiling.
                    long owner;
                    int tries = 0;
                    do owner = SystemCall.Invoke(Syscall.FilterClassify, (ulong)hit, FrameLength, (ulong)&match, engine);
                    while (owner > 0 && match.Engine != engine && ++tries < 10_000);
                    if (owner <= 0 || match.Engine != engine)
                        System.Console.WriteLine("BENCH filter: " + name + " did not match as expected: " + owner.ToString());
                    for (int i = 0; i < Benchmarks.Runs; i++)
                    {
                        ulong t0 = Benchmarks.Tsc();
                        SystemCall.Invoke(Syscall.FilterClassify, (ulong)hit, FrameLength, (ulong)&match, engine);
                        samples[i] = Benchmarks.Tsc() - t0;
                    }
                    Benchmarks.Report(name, samples);
                    // 100 classifications in one call, like Linux's BPF_PROG_TEST_RUN repeat.
                    for (int i = 0; i < Benchmarks.Runs; i++)
                    {
                        ulong t0 = Benchmarks.Tsc();
                        SystemCall.Invoke(Syscall.FilterClassify, (ulong)hit, FrameLength, (ulong)&match, engine, 100);
                        samples[i] = (Benchmarks.Tsc() - t0) / 100;
                    }
                    Benchmarks.Report(name + "_batch", samples, 100);
                }
                if (SystemCall.Invoke(Syscall.FilterClassify, (ulong)miss, FrameLength, 0, engine) != 0)
                    System.Console.WriteLine("BENCH filter: " + name + "_miss matched");
                for (int i = 0; i < Benchmarks.Runs; i++)
                {
                    ulong t0 = Benchmarks.Tsc();
                    SystemCall.Invoke(Syscall.FilterClassify, (ulong)miss, FrameLength, (ulong)&match, engine);
                    samples[i] = Benchmarks.Tsc() - t0;
                }
                Benchmarks.Report(n > 0 ? name + "_miss" : name, samples);
            }
        }

        public static void Run(ulong* samples)
        {
            byte* hit = stackalloc byte[FrameLength];
            byte* miss = stackalloc byte[FrameLength];
            Frame(miss, MissPort);

            Measure(0, null, miss, samples);                   // no filter: the call's fixed cost

            if (!Install(FirstPort, FirstPort + 1)) return;
            Frame(hit, FirstPort);
            Measure(1, hit, miss, samples);

            if (!Install(FirstPort + 1, FirstPort + 10)) return;
            Frame(hit, FirstPort + 9);
            Measure(10, hit, miss, samples);

            if (!Install(FirstPort + 10, FirstPort + ParentFilters)) return;
            long child = Process.Fork();
            if (child == 0)
            {
                Install(FirstPort + ParentFilters, FirstPort + 100);
                IpcMessage message;
                while (true) SystemCall.IpcWait(&message);    // keeps the filters; the parent ends it
            }
            ulong childId = (ulong)SystemCall.EnvIdOf((ulong)child);
            Frame(hit, FirstPort + 99);
            for (int i = 0; i < 100000 && SystemCall.FilterClassify(hit, FrameLength) != (long)childId; i++) SystemCall.Yield((ulong)child);
            if (SystemCall.FilterClassify(hit, FrameLength) == (long)childId) Measure(100, hit, miss, samples);
            else System.Console.WriteLine("BENCH filter: the child did not install its 50 filters");
            SystemCall.EnvDestroy((ulong)child);
        }
    }
}
