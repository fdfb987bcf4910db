// The table of programs in the multi-call binary: the one list of their names. `make run
// APP=<name>` boots one; tests/Boot names them. Unknown names print the list and exit 127.
using System.Runtime;

namespace ExoSharp.Apps
{
    internal static unsafe class Programs
    {
        private struct Entry
        {
            public string Name;
            public delegate*<string, int> Main;
        }

        private static Entry[] Table => new Entry[]
        {
            new Entry { Name = "hello", Main = &Hello.Main },
            new Entry { Name = "init", Main = &Init.Main },
            new Entry { Name = "rpc", Main = &RegisterRpc.Main },
            new Entry { Name = "endpoints", Main = &Endpoints.Main },
            new Entry { Name = "corelib", Main = &CorelibTests.CorelibTest.Main },
            new Entry { Name = "throw", Main = &Throw.Main },
            new Entry { Name = "eh", Main = &Eh.EhSuite.Main },
            new Entry { Name = "ehthreads", Main = &Eh.EhThreads.Main },
            new Entry { Name = "gc", Main = &Gc.GcSuite.Main },
            new Entry { Name = "gcleak", Main = &Gc.GcLeak.Main },
            new Entry { Name = "exit", Main = &ExitStatus.Main },
            new Entry { Name = "clock", Main = &WallClockDemo.Main },
            new Entry { Name = "foreign", Main = &Foreign.ForeignCalls.Main },
            new Entry { Name = "segbases", Main = &Foreign.SegmentBases.Main },
            new Entry { Name = "linux", Main = &Foreign.LinuxRunner.Main },
            new Entry { Name = "linuxpipes", Main = &Foreign.LinuxPipes.Main },
            new Entry { Name = "orphan", Main = &Orphan.Main },
            new Entry { Name = "readkernel", Main = &Hostile.Attacks.ReadKernel },
            new Entry { Name = "writekernel", Main = &Hostile.Attacks.WriteKernel },
            new Entry { Name = "jumpkernel", Main = &Hostile.Attacks.JumpKernel },
            new Entry { Name = "cli", Main = &Hostile.Attacks.Cli },
            new Entry { Name = "hlt", Main = &Hostile.Attacks.Hlt },
            new Entry { Name = "outport", Main = &Hostile.Attacks.Out },
            new Entry { Name = "movcr3", Main = &Hostile.Attacks.MovCr3 },
            new Entry { Name = "wrmsr", Main = &Hostile.Attacks.WrMsr },
            new Entry { Name = "ntflag", Main = &Hostile.NestedTask.Main },
            new Entry { Name = "refcount", Main = &Hostile.ReferenceCount.Main },
            new Entry { Name = "fastdiff", Main = &Hostile.FastPathDiff.Main },
            new Entry { Name = "filterflood", Main = &Hostile.FilterFlood.Main },
            new Entry { Name = "revokeflood", Main = &Hostile.RevokeFlood.Main },
            new Entry { Name = "capfan", Main = &Hostile.CapabilityFan.Main },
            new Entry { Name = "mapmany", Main = &Hostile.MapMany.Main },
            new Entry { Name = "maprange", Main = &Hostile.MapRange.Main },
            new Entry { Name = "pageshare", Main = &Hostile.PageShare.Main },
            new Entry { Name = "divzero", Main = &Hostile.Attacks.DivZero },
            new Entry { Name = "manageddivzero", Main = &Hostile.Attacks.ManagedDivZero },
            new Entry { Name = "noncanonical", Main = &Hostile.Attacks.ReadNonCanonical },
            new Entry { Name = "nullderef", Main = &Hostile.Attacks.NullDeref },
            new Entry { Name = "stackoverflow", Main = &Hostile.Attacks.StackOverflow },
            new Entry { Name = "badsyscall", Main = &Hostile.BadSystemCalls.Main },
            new Entry { Name = "tables", Main = &Tables.Main },
            new Entry { Name = "holdframes", Main = &HoldFrames.Main },
            new Entry { Name = "threads", Main = &ThreadsDemo.Main },
            new Entry { Name = "revoke", Main = &Revoke.Main },
            new Entry { Name = "xstate", Main = &State.XState.Main },
            new Entry { Name = "bench", Main = &Bench.Benchmarks.Main },
            new Entry { Name = "gcbench", Main = &Bench.GcBenchmarks.Main },
            new Entry { Name = "fsbench", Main = &Bench.FsBenchmarks.Main },
            new Entry { Name = "overstay", Main = &Hostile.Overstay.Main },
            new Entry { Name = "staleupcall", Main = &Hostile.StaleUpcall.Main },
            new Entry { Name = "badcaps", Main = &Hostile.BadCapabilities.Main },
            new Entry { Name = "exhaust", Main = &Hostile.Exhaust.Main },
            new Entry { Name = "reap", Main = &Reaper.Main },
            new Entry { Name = "stalecaps", Main = &Hostile.StaleCapabilities.Main },
            new Entry { Name = "captable", Main = &CapTable.Main },
            new Entry { Name = "sparse", Main = &Hostile.Exhaust.Sparse },
            new Entry { Name = "createexhaust", Main = &Hostile.CreateExhaust.Main },
            new Entry { Name = "budget", Main = &Hostile.Budget.Main },
            new Entry { Name = "fuzz", Main = &Hostile.Fuzz.Main },
            new Entry { Name = "spinforever", Main = &Hostile.Attacks.Spin },
            new Entry { Name = "faultread", Main = &Jos.FaultRead.Main },
            new Entry { Name = "faultwrite", Main = &Jos.FaultWrite.Main },
            new Entry { Name = "faultdie", Main = &Jos.FaultDie.Main },
            new Entry { Name = "faultalloc", Main = &Jos.FaultAlloc.Main },
            new Entry { Name = "faultallocbad", Main = &Jos.FaultAllocBad.Main },
            new Entry { Name = "faultnostack", Main = &Jos.FaultNoStack.Main },
            new Entry { Name = "faultbadhandler", Main = &Jos.FaultBadHandler.Main },
            new Entry { Name = "faultevilhandler", Main = &Jos.FaultEvilHandler.Main },
            new Entry { Name = "dumbfork", Main = &Jos.DumbFork.Main },
            new Entry { Name = "spin", Main = &Jos.Spin.Main },
            new Entry { Name = "forktree", Main = &Jos.ForkTree.Main },
            new Entry { Name = "pingpong", Main = &Jos.PingPong.Main },
            new Entry { Name = "faultregs", Main = &Jos.FaultRegs.Main },
            new Entry { Name = "primes", Main = &Jos.Primes.Main },
            new Entry { Name = "sendpage", Main = &Jos.SendPage.Main },
            new Entry { Name = "filters", Main = &Executive.PacketDemux.Main },
            new Entry { Name = "wakeup", Main = &Executive.Wakeup.Main },
            new Entry { Name = "udf", Main = &Executive.UdfDemo.Main },
            new Entry { Name = "badprograms", Main = &Executive.BadPrograms.Main },
            new Entry { Name = "execflood", Main = &Executive.Flood.Main },
            new Entry { Name = "echo", Main = &Net.Echo.Main },
            new Entry { Name = "inet", Main = &Net.Inet.Main },
            new Entry { Name = "cheetah", Main = &Cheetah.WebServer.Main },
            new Entry { Name = "wire", Main = &Net.WireClient.Main },
            new Entry { Name = "netrecv", Main = &Net.NetReceive.Main },
            new Entry { Name = "netattack", Main = &Net.NetAttack.Main },
            new Entry { Name = "files", Main = &Disk.Files.Main },
            new Entry { Name = "cffs", Main = &Disk.CffsDemo.Main },
            new Entry { Name = "cffsattack", Main = &Disk.CffsAttack.Main },
            new Entry { Name = "posix", Main = &Disk.PosixFiles.Main },
            new Entry { Name = "xnattack", Main = &Disk.XnAttack.Main },
            new Entry { Name = "extents", Main = &Disk.Extents.Main },
            new Entry { Name = "consoleread", Main = &Terminal.ConsoleRead.Main },
            new Entry { Name = "consoleattack", Main = &Hostile.ConsoleAttack.Main },
        };

        [RuntimeExport("ExoSharpAppMain")]
        public static int Run(string name, string arguments)
        {
            Entry[] table = Table;
            for (int i = 0; i < table.Length; i++)
                if (table[i].Name == name) return table[i].Main(arguments);
            System.Console.Write("apps: no program named '");
            System.Console.Write(name);
            System.Console.Write("'; programs:");
            for (int i = 0; i < table.Length; i++)
            {
                System.Console.Write(" ");
                System.Console.Write(table[i].Name);
            }
            System.Console.WriteLine();
            return 127;
        }
    }
}
