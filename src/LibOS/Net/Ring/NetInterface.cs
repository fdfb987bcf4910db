// A stack on this environment's network card: filters for its address, a receive and a
// transmit ring, the arena mapped from fresh pages, and the loop step that feeds received
// frames (parsed where they lie in the ring) to the stack and runs its timers. Wait blocks on
// the receive ring's wakeup predicate, with a timeout of at most one timer tick.
// Address: a static one, or 0 to ask DHCP (Open waits for the lease, at most ten seconds).
// Idle accounting for benchmarks: BlockedTsc and Blocks (time-stamp counter cycles spent inside
// the blocking wait, and how many); or, with SpinWhenIdle, Wait never halts but polls the ring
// in a counted loop (Spins), an idle-loop counter whose cost per turn SpinCost measures.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.LibOS.Net.Ring
{
    public sealed unsafe class NetInterface
    {
        public const ulong RingsAt = 0x8000_0000, ArenaAt = 0x9000_0000;
        public const uint ReceiveSlots = 256, TransmitSlots = 64;

        public readonly NetStack Stack;
        private readonly ReceiveRing _receive;
        private bool _addressFilters;

        /// <summary>Time-stamp counter cycles spent blocked in Wait's wakeup predicate (the
        /// environment had nothing to do; the kernel's work to wake it is inside), and how many
        /// times it blocked.</summary>
        public ulong BlockedTsc, Blocks;

        /// <summary>When set, Wait polls the ring in SpinLoop instead of halting; Spins counts the
        /// loop's turns.</summary>
        public bool SpinWhenIdle;
        public ulong Spins;

        /// <summary>Turns of the idle loop until a frame is waiting or NetClock reaches until.</summary>
        public ulong SpinLoop(long until)
        {
            ulong turns = 0;
            while (!_receive.Next(out _, out _) && NetClock.Now < until) turns++;
            return turns;
        }

        /// <summary>Thousandths of time-stamp counter cycles per turn of SpinLoop, measured over milliseconds
        /// (no frame should arrive meanwhile; if one does, the loop ends early and the measure
        /// holds for the turns it made).</summary>
        public ulong SpinCostMilli(long milliseconds)
        {
            ulong start = NetClock.Tsc();
            ulong turns = SpinLoop(NetClock.Now + milliseconds);
            return turns == 0 ? 0 : (NetClock.Tsc() - start) * 1000 / turns;
        }

        private NetInterface(NetStack stack, ReceiveRing receive)
        {
            Stack = stack;
            _receive = receive;
        }

        /// <summary>Brings the card up with config (its Mac is filled in from NetInfo; Address 0:
        /// DHCP). Null with the reason when something is refused.</summary>
        public static NetInterface Open(NetConfig config, out string problem)
        {
            problem = null;
            NetInfo info;
            long r = SystemCall.NetInfo(&info);
            if (r < 0) { problem = "no network card"; return null; }
            config.Mac = info.Mac;
            NetClock.Calibrate();
            config.Key0 ^= NetClock.Tsc();
            config.Key1 ^= NetClock.Tsc() * 0x9E37_79B9_7F4A_7C15UL;
            ReceiveRing receive = ReceiveRing.Attach(RingsAt, ReceiveSlots, out r);
            if (receive == null) { problem = "receive ring refused (" + r.ToString() + ")"; return null; }
            TransmitRing transmit = TransmitRing.Attach(RingsAt + 0x100_0000, TransmitSlots, out r);
            if (transmit == null) { problem = "transmit ring refused (" + r.ToString() + ")"; return null; }
            ulong size = (NetStack.MemoryNeeded(config) + 4095) & ~4095UL;
            for (ulong at = 0; at < size; at += 4096)
            {
                r = Memory.AllocatePage(ArenaAt + at);
                if (r < 0) { problem = "out of memory for the stack (" + (size >> 20).ToString() + " MiB, page " + (at >> 12).ToString() + ": error " + r.ToString() + ")"; return null; }
            }
            uint address = config.Address;
            var stack = new NetStack(config, new RingLink(transmit), (byte*)ArenaAt, size, NetClock.Now);
            var nif = new NetInterface(stack, receive);
            if (address == 0)
            {
                if ((r = NetFilterPrograms.InstallDhcpClient()) < 0) { problem = "DHCP filter refused (" + r.ToString() + ")"; return null; }
                stack.DhcpStart();
                long until = NetClock.Now + 10_000;
                while (!stack.DhcpBound && NetClock.Now < until) nif.Wait(1);
                if (!stack.DhcpBound) { problem = "no DHCP lease"; return null; }
            }
            if (!nif.InstallAddressFilters(out problem)) return null;
            stack.Announce();
            return nif;
        }

        private bool InstallAddressFilters(out string problem)
        {
            problem = null;
            if (_addressFilters) return true;
            long r = NetFilterPrograms.InstallArp(Stack.Address);
            if (r < 0) { problem = "ARP filter refused (" + r.ToString() + ")"; return false; }
            r = NetFilterPrograms.InstallIpv4(Stack.Address);
            if (r < 0) { problem = "IPv4 filter refused (" + r.ToString() + ")"; return false; }
            _addressFilters = true;
            return true;
        }

        /// <summary>Feeds every frame waiting in the ring to the stack, then runs its timers;
        /// how many frames there were.</summary>
        public int Poll()
        {
            int n = 0;
            long now = NetClock.Now;
            Stack.BeginBatch();
            while (n < (int)ReceiveSlots && _receive.Next(out byte* frame, out PacketSlot header))
            {
                if (header.Length <= PacketRing.MaxFrame) Stack.Input(frame, header.Length, now);
                _receive.Done();
                n++;
            }
            Stack.EndBatch();
            Stack.Tick(NetClock.Now);
            return n;
        }

        /// <summary>Blocks until a frame comes or ticks timer ticks pass (0: until a frame), then polls.</summary>
        public int Wait(uint ticks)
        {
            Stack.FlushAcks();
            if (SpinWhenIdle)
                Spins += SpinLoop(NetClock.Now + (ticks == 0 ? 10 : 10 * (long)ticks));
            else if (!_receive.Next(out _, out _))
            {
                ulong start = NetClock.Tsc();
                _receive.Wait(ticks);
                BlockedTsc += NetClock.Tsc() - start;
                Blocks++;
            }
            return Poll();
        }
    }
}
