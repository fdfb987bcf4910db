// A capability table that grows: `captable N` holds N frame capabilities at once (the boot
// test asks for 65,536, past any fixed table), maps the first and the last, writes and reads
// them back, then drops every one and checks that the handles are stale and the frames free.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class CapTable
    {
        private const ulong Window = 0x6000_0000;

        public static int Main(string arguments)
        {
            int count = (int)Arguments.Number(arguments, (ulong)Capability.MaxTableSize);
            long[] handles = new long[count];
            int held = 0;
            long r = 0;
            while (held < count && (r = SystemCall.FrameAlloc()) > 0) handles[held++] = r;
            System.Console.WriteLine("captable: holding " + held.ToString() + " frames" + (held == count ? " ok" : " (then " + r.ToString() + ") WRONG"));
            if (held != count) return 1;
            long first = SystemCall.PageMap(Capability.Self, Window, (ulong)handles[0], PageFlags.Writable);
            long last = SystemCall.PageMap(Capability.Self, Window + 4096, (ulong)handles[held - 1], PageFlags.Writable);
            *(ulong*)Window = 0xF1257;
            *(ulong*)(Window + 4096) = 0x1A57;
            bool ok = first == 1 && last == 1 && *(ulong*)Window == 0xF1257 && *(ulong*)(Window + 4096) == 0x1A57;
            System.Console.WriteLine("captable: the first and the last frame map and hold what was written" + (ok ? " ok" : " WRONG"));
            ulong lastSlot = (ulong)handles[held - 1] & (Capability.MaxTableSize - 1);
            System.Console.WriteLine("captable: the last handle is slot " + lastSlot.ToString() + (lastSlot >= 65536 ? " ok" : " WRONG"));
            int dropped = 0;
            for (int i = 0; i < held; i++)
                if (SystemCall.CapDrop((ulong)handles[i]) == 0) dropped++;
            long stale = SystemCall.PageMap(Capability.Self, Window, (ulong)handles[held - 1], 0);
            PageInfo info;
            SystemCall.PageQuery(Window, &info);
            bool clean = dropped == held && stale == (long)Error.BadHandle && info.Flags == 0;
            System.Console.WriteLine("captable: dropped " + dropped.ToString() + ", a dropped handle maps " + stale.ToString() +
                                     ", nothing left mapped" + (clean ? " ok" : " WRONG"));
            long again = 0;
            int regained = 0;
            while (regained < count && (again = SystemCall.FrameAlloc()) > 0)
            {
                handles[regained++] = again;
            }
            System.Console.WriteLine("captable: the frames came back: " + regained.ToString() + (regained == count ? " ok" : " WRONG"));
            return ok && clean && regained == count ? 0 : 1;
        }
    }
}
