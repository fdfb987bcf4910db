// Packet filters in the guest: forked children each install their own libpcap filters (dns:
// udp port 53; web: tcp port 80, and tcp port 8080 and greater 200, which is not exact and so
// runs alone), the parent installs icmp; claims that overlap another owner's ('udp', every
// packet) are refused. Then the kernel's merged, compiled filters classify the sample packets,
// one line each with the owner. When dns ends its filter goes with it and web may claim port 53.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class PacketDemux
    {
        private const ulong OrderExit = 1, OrderClaimDns = 2;

        private static ulong s_dns, s_web;
        private static int s_failures;

        private static long Install(ProgramInstruction[] program, ProgramReport* report)
        {
            fixed (ProgramInstruction* p = program) return SystemCall.FilterInstall(p, program.Length, report);
        }

        /// <summary>Installs and prints what happened; returns the filter's capability handle or the error.</summary>
        private static long InstallAndSay(string who, string expression, ProgramInstruction[] program)
        {
            ProgramReport report;
            long r = Install(program, &report);
            string line = "filters: " + who + " '" + expression + "': ";
            if (r > 0) line += "installed as filter " + report.FilterId.ToString();
            else if (r == (long)Error.Overlap)
                line += "refused: Overlap with filter " + report.ConflictFilter.ToString() + " of env " + report.ConflictOwner.ToString();
            else if (r == (long)Error.ProgramRefused) line += "refused: " + ExecutiveText.Refusal(report);
            else line += "error " + ExecutiveText.Result(r);
            System.Console.WriteLine(line);
            return r;
        }

        private static void Check(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("filters: " + what + " -> " + ExecutiveText.Result(result) + (ok ? "" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        private static string OwnerName(ulong id) =>
            id == 0 ? "no owner" : id == s_dns ? "dns (env " + id.ToString() + ")" : id == s_web ? "web (env " + id.ToString() + ")"
            : id == Process.Id ? "filters (env " + id.ToString() + ")" : "env " + id.ToString();

        /// <summary>Classifies one sample packet (1-based) and prints its line; counts a wrong owner.</summary>
        private static void Classify(int number, ulong expected)
        {
            Packet packet = SamplePackets.All[number - 1];
            FilterMatch match;
            long owner;
            // The kernel compiles a changed filter set a slice per executive call and timer tick,
            // interpreting it meanwhile: ask again (each call compiles a little) until it is compiled.
            int tries = 0;
            do fixed (byte* bytes = packet.Bytes) owner = SystemCall.FilterClassify(bytes, packet.Bytes.Length, &match);
            while (owner > 0 && match.Engine != FilterEngine.Native && ++tries < 10_000);
            string line = "filters: packet " + number.ToString() + " " + packet.Description + ": " + OwnerName((ulong)owner);
            if (owner > 0)
                line += ", filter " + match.FilterId.ToString() + ", value " + match.Value.ToString() +
                        (match.Engine == FilterEngine.Native ? ", compiled" : ", interpreted");
            if ((ulong)owner != expected || (owner > 0 && match.Engine != FilterEngine.Native))
            {
                s_failures++;
                line += " WRONG, expected " + OwnerName(expected);
            }
            System.Console.WriteLine(line);
        }

        private static void WaitUntilEnded(ulong id)
        {
            while (KernelTables.Environment(id).Status != EnvRecord.Ended) SystemCall.Yield();
        }

        private static int Dns(ulong parent)
        {
            EnvironmentName.Set("dns");
            long id = InstallAndSay("dns", "udp port 53", BpfFilters.UdpPort53);
            Ipc.Send(parent, (ulong)id);
            while (Ipc.Receive(out _) != OrderExit) { }
            return 0;
        }

        private static int Web(ulong parent)
        {
            EnvironmentName.Set("web");
            long id = InstallAndSay("web", "tcp port 80", BpfFilters.TcpPort80);
            InstallAndSay("web", "tcp port 8080 and greater 200", BpfFilters.TcpPort8080Large);
            InstallAndSay("web", "udp", BpfFilters.Udp);
            Ipc.Send(parent, (ulong)id);
            while (true)
            {
                ulong order = Ipc.Receive(out _);
                if (order == OrderExit) return 0;
                if (order == OrderClaimDns) Ipc.Send(parent, (ulong)InstallAndSay("web", "udp port 53", BpfFilters.UdpPort53));
            }
        }

        public static int Main(string arguments)
        {
            ulong me = Process.Id;
            long child = Process.Fork();
            if (child == 0) return Dns(Process.Parent);
            long dns = child;
            s_dns = (ulong)SystemCall.EnvIdOf((ulong)child);
            Ipc.Receive(out _);                 // dns's filter is in
            child = Process.Fork();
            if (child == 0) return Web(Process.Parent);
            long web = child;
            s_web = (ulong)SystemCall.EnvIdOf((ulong)child);
            Ipc.Receive(out _);

            long icmp = InstallAndSay("filters", "icmp", BpfFilters.Icmp);
            InstallAndSay("filters", "every packet", BpfFilters.Everything);
            // Removing takes a Filter capability in the caller's own table.
            Check("remove with a forged handle 999", SystemCall.FilterRemove(999), (long)Error.BadHandle);
            Check("remove with handle 0 (ourselves)", SystemCall.FilterRemove(0), (long)Error.BadHandle);
            long frame = SystemCall.FrameAlloc();
            Check("remove with a frame capability", SystemCall.FilterRemove(frame), (long)Error.BadHandle);
            SystemCall.FrameFree((ulong)frame);
            long copy = SystemCall.CapMint((ulong)icmp, 0, 0);
            Check("a copy of the icmp filter's capability (CapMint)", copy > 0 ? 0 : copy, 0);

            ulong[] owners = { s_dns, s_web, s_web, me, 0, s_dns, 0, 0, 0, 0, 0, s_web };
            for (int i = 0; i < owners.Length; i++) Classify(i + 1, owners[i]);

            Ipc.Send((ulong)dns, OrderExit);
            WaitUntilEnded(s_dns);
            System.Console.WriteLine("filters: dns has ended");
            Classify(1, 0);
            Ipc.Send((ulong)web, OrderClaimDns);
            Ipc.Receive(out _);
            Classify(1, s_web);
            Classify(6, s_web);
            Ipc.Send((ulong)web, OrderExit);
            WaitUntilEnded(s_web);
            System.Console.WriteLine("filters: web has ended");
            Classify(2, 0);
            Check("remove the icmp filter through the copy", SystemCall.FilterRemove(copy), 0);
            Classify(4, 0);
            Check("remove it again with the original capability (the filter is gone)", SystemCall.FilterRemove(icmp), (long)Error.NoSuchProgram);
            Check("remove it with the copy again (the copy went with the filter)", SystemCall.FilterRemove(copy), (long)Error.BadHandle);
            System.Console.WriteLine(s_failures == 0 ? "filters: all verdicts as libpcap's" : "filters: " + s_failures.ToString() + " WRONG");
            return s_failures == 0 ? 0 : 1;
        }
    }
}
