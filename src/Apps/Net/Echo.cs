// The UDP echo service (RFC 862) as an ordinary environment on the raw card: its own filters
// claim ARP requests for its address and UDP datagrams to port 7; it answers ARP itself and
// sends every datagram back unchanged, through its transmit ring (the kernel's anti-spoofing
// rule lets it: its filters claim the replies' replies). `make run` forwards 127.0.0.1:5555/udp
// on the host to it. Argument: how many datagrams to answer before exiting, once a second
// passes without another (default: forever).
// Address: QEMU's user network gives the guest 10.0.2.15.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Net
{
    internal static unsafe class Echo
    {
        public const uint Address = 0x0A00_020F;        // 10.0.2.15
        public const ushort Port = 7;
        private const ulong ReceiveAt = 0x6000_0000, TransmitAt = 0x6100_0000;

        public static int Main(string arguments)
        {
            long limit = (long)Arguments.Number(arguments, long.MaxValue);
            NetInfo info;
            long r = SystemCall.NetInfo(&info);
            if (r < 0) return Fail("no network card (" + ErrorText(r) + "; tools/run.sh --net attaches one)");
            if ((r = Install(NetFilters.ArpFor(Address))) < 0) return Fail("ARP filter refused: " + ErrorText(r));
            if ((r = Install(NetFilters.UdpTo(Address, Port))) < 0) return Fail("UDP filter refused: " + ErrorText(r));
            ReceiveRing receive = ReceiveRing.Attach(ReceiveAt, 64, out r);
            if (receive == null) return Fail("receive ring: " + ErrorText(r));
            TransmitRing transmit = TransmitRing.Attach(TransmitAt, 16, out r);
            if (transmit == null) return Fail("transmit ring: " + ErrorText(r));
            System.Console.WriteLine("echo: ready: UDP port 7 at " + Ethernet.FormatIpv4(Address) + ", card " + FormatMac(info.Mac));

            // After the last datagram it keeps answering until a second passes without one, so
            // its last reply is on the wire (and the client has stopped resending) before it exits.
            for (long echoed = 0; ;)
            {
                bool done = limit != 0 && echoed >= limit;
                if (receive.Wait(done ? 100u : 0u) == ReceiveRing.TimedOut) return 0;
                while (receive.Next(out byte* frame, out PacketSlot header))
                {
                    echoed += Answer(frame, header.Length, info.Mac, transmit);
                    receive.Done();
                }
            }
        }

        /// <summary>Answers one frame; 1 if it was a datagram echoed.</summary>
        private static int Answer(byte* frame, uint length, ulong mac, TransmitRing transmit)
        {
            byte* reply = transmit.Reserve();
            if (reply == null) return 0;        // the card is busy: the client retries
            if (Ethernet.IsArpRequestFor(frame, length, Address))
            {
                long sent = transmit.Send(Ethernet.ArpReply(frame, reply, mac, Address));
                System.Console.WriteLine("echo: ARP: told " + Ethernet.FormatIpv4(Ethernet.ReadIpv4(frame + 28)) + " that " +
                                         Ethernet.FormatIpv4(Address) + " is at " + FormatMac(mac) + Outcome(sent));
                return 0;
            }
            uint udp = Ethernet.UdpOffset(frame, length, Address);
            if (udp == 0 || Ethernet.ReadPort(frame + udp + 2) != Port) return 0;
            if (length > PacketRing.MaxFrame) return 0;
            for (uint i = 0; i < length; i++) reply[i] = frame[i];
            Ethernet.TurnAround(reply, udp, mac);
            long result = transmit.Send(length);
            int bytes = Ethernet.ReadPort(frame + udp + 4) - 8;
            System.Console.WriteLine("echo: " + bytes.ToString() + " bytes from " + Ethernet.FormatIpv4(Ethernet.ReadIpv4(frame + 26)) + ":" +
                                     ((int)Ethernet.ReadPort(frame + udp)).ToString() + " sent back" + Outcome(result));
            return 1;
        }

        private static long Install(ProgramInstruction[] program)
        {
            fixed (ProgramInstruction* p = program) return SystemCall.FilterInstall(p, program.Length);
        }

        private static string Outcome(long result) => result == 0 ? "" : " (refused: " + ErrorText(result) + ")";

        private static string ErrorText(long result) => Executive.ExecutiveText.Result(result);

        public static string FormatMac(ulong mac)
        {
            const string digits = "0123456789abcdef";
            var text = new char[17];
            for (int i = 0; i < 6; i++)
            {
                byte b = (byte)(mac >> (8 * i));
                text[i * 3] = digits[b >> 4];
                text[i * 3 + 1] = digits[b & 15];
                if (i < 5) text[i * 3 + 2] = ':';
            }
            return new string(text);
        }

        private static int Fail(string why)
        {
            System.Console.WriteLine("echo: " + why);
            return 1;
        }
    }
}
