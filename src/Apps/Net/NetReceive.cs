// The receive side of the network boot test (tests/Boot/net-replay.test): forked receivers
// install libpcap's programs for 'tcp port 80', 'udp port 53' and 'icmp' (BpfFilters), attach
// receive rings and print one line per frame the kernel delivers (length and FNV-1a hash), which
// the host (tools/netpeer.c) checks against libpcap's verdicts on the frames it replayed. Each
// receiver also claims its own end marker (EtherType 0x88B5, first payload byte = its number),
// sent after the capture: frames arrive in order, so the marker means "that was all".
// The parent waits for the receivers, then prints the kernel's counters (NetInfo).
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Net
{
    internal static unsafe class NetReceive
    {
        public const ushort MarkerType = 0x88B5;
        private const ulong RingAt = 0x6000_0000;
        private const uint RingSlots = 256;

        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>ether proto 0x88B5 and ether[14] == number.</summary>
        public static ProgramInstruction[] EndMarker(uint number) => new[]
        {
            I(0x28, 0, 0, 12),
            I(0x15, 0, 3, MarkerType),
            I(0x30, 0, 0, 14),
            I(0x15, 0, 1, number),
            I(0x06, 0, 0, 0x40000),
            I(0x06, 0, 0, 0),
        };

        public static int Main(string arguments)
        {
            string[] names = { "web", "dns", "ping" };
            string[] expressions = { "tcp port 80", "udp port 53", "icmp" };
            ProgramInstruction[][] programs = { BpfFilters.TcpPort80, BpfFilters.UdpPort53, BpfFilters.Icmp };
            var children = new ulong[names.Length];
            for (int k = 0; k < names.Length; k++)
            {
                long child = Process.Fork();
                if (child == 0) return Receive((uint)k + 1, names[k], expressions[k], programs[k]);
                if (child < 0) return Fail("fork: " + ExecutiveText.Result(child));
                children[k] = (ulong)SystemCall.EnvIdOf((ulong)child);
            }
            int failures = 0;
            foreach (ulong id in children)
            {
                while (KernelTables.Environment(id).Status != EnvRecord.Ended) SystemCall.Yield();
                if (KernelTables.Environment(id).ExitStatus != 0) failures++;
            }
            NetInfo info;
            long r = SystemCall.NetInfo(&info);
            if (r < 0) return Fail("NetInfo: " + ExecutiveText.Result(r));
            System.Console.WriteLine("netrecv: card received " + info.Received.ToString() + ", delivered " + info.Delivered.ToString() +
                                     ", unclaimed " + info.Unclaimed.ToString() + ", ring full " + info.RingFull.ToString() +
                                     ", no ring " + info.NoRing.ToString());
            return failures;
        }

        private static int Receive(uint number, string name, string expression, ProgramInstruction[] program)
        {
            EnvironmentName.Set(name);
            long filter = Install(program);
            if (filter < 0) return Fail(name + " '" + expression + "' refused: " + ExecutiveText.Result(filter));
            long marker = Install(EndMarker(number));
            if (marker < 0) return Fail(name + " end marker refused: " + ExecutiveText.Result(marker));
            ReceiveRing ring = ReceiveRing.Attach(RingAt, RingSlots, out long error);
            if (ring == null) return Fail(name + " receive ring: " + ExecutiveText.Result(error));
            System.Console.WriteLine("netrecv: " + name + " '" + expression + "' is filter " + filter.ToString() + "; ready");
            uint count = 0, dropped = 0;
            while (true)
            {
                ring.Wait();
                while (ring.Next(out byte* frame, out PacketSlot header))
                {
                    dropped += header.Dropped;
                    if (header.FilterId == (uint)marker)
                    {
                        System.Console.WriteLine("netrecv: " + name + " got " + count.ToString() + " frames, dropped " + dropped.ToString());
                        return dropped == 0 ? 0 : 1;
                    }
                    count++;
                    System.Console.WriteLine("netrecv: " + name + " #" + count.ToString() + " len " + header.Length.ToString() + " hash " + Hex(Fnv1a(frame, header.Length)));
                    ring.Done();
                }
            }
        }

        /// <summary>The filter's id (what ring slots name it by), or the error.</summary>
        private static long Install(ProgramInstruction[] program)
        {
            long handle;
            uint id;
            fixed (ProgramInstruction* p = program) handle = SystemCall.FilterInstall(p, program.Length, out id);
            return handle < 0 ? handle : id;
        }

        private static uint Fnv1a(byte* bytes, uint length)
        {
            uint hash = 2166136261;
            for (uint i = 0; i < length; i++) hash = (hash ^ bytes[i]) * 16777619;
            return hash;
        }

        private static string Hex(uint value)
        {
            const string digits = "0123456789abcdef";
            var text = new char[8];
            for (int i = 0; i < 8; i++) text[i] = digits[(int)(value >> (28 - 4 * i)) & 15];
            return new string(text);
        }

        private static int Fail(string why)
        {
            System.Console.WriteLine("netrecv: " + why);
            return 1;
        }
    }
}
