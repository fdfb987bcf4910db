// Floods the executive: filters until the per-environment limit (TableFull), then installs and
// removes a filter 2000 times (or as many as the argument says) (each leaves ~140 KB of garbage in the kernel
// heap: 280 MB in all, more than the machine's memory, so only a collecting kernel finishes) or
// until the kernel answers NoMemory (its budget for live executive memory is spent, or gc=off);
// never a kernel out of memory; the filters already installed must keep working.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class Flood
    {
        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>udp dst port N over IPv4, without fragments or options (exact: it merges).</summary>
        private static ProgramInstruction[] UdpPort(uint port) => new[]
        {
            I(0x28, 0, 0, 12), I(0x15, 0, 5, 0x800), I(0x30, 0, 0, 23), I(0x15, 0, 3, 17),
            I(0x28, 0, 0, 36), I(0x15, 0, 1, port), I(0x06, 0, 0, 0x40000), I(0x06, 0, 0, 0),
        };

        public static int Main(string arguments)
        {
            int filters = 0;
            long r, last = 0;
            while (true)
            {
                ProgramInstruction[] program = UdpPort(1000 + (uint)filters);
                fixed (ProgramInstruction* p = program) r = SystemCall.FilterInstall(p, program.Length);
                if (r < 0) break;
                last = r;
                filters++;
            }
            System.Console.WriteLine("flood: " + filters.ToString() + " filters installed, then " + ExecutiveText.Result(r));

            // Make room for one more filter, then install and remove it.
            int limit = (int)Arguments.Number(arguments, 10_000_000);
            if (limit == 0) limit = 2000;
            SystemCall.FilterRemove(last);
            int cycles = 0;
            ProgramInstruction[] extra = UdpPort(53);
            while (cycles < limit)
            {
                fixed (ProgramInstruction* p = extra) r = SystemCall.FilterInstall(p, extra.Length);
                if (r < 0) break;
                SystemCall.FilterRemove(r);
                cycles++;
            }
            System.Console.WriteLine("flood: " + cycles.ToString() + " install-remove cycles, " + (r < 0 ? "then " + ExecutiveText.Result(r) : "all done"));

            // What was installed still classifies: a UDP packet to port 1005 belongs to us.
            byte* frame = stackalloc byte[42];
            for (int i = 0; i < 42; i++) frame[i] = 0;
            frame[12] = 0x08; frame[14] = 0x45; frame[23] = 17; frame[36] = 1005 >> 8; frame[37] = 1005 & 0xFF;
            FilterMatch match;
            r = SystemCall.FilterClassify(frame, 42, &match);
            System.Console.WriteLine("flood: a packet to udp port 1005 -> " + (r == (long)Process.Id ? "ours" : r.ToString()) + ", filter " + match.FilterId.ToString());
            return r == (long)Process.Id ? 0 : 1;
        }
    }
}
