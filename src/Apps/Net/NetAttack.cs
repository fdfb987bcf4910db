// Hostile use of the network card (tests/Boot/net-hostile.test): bad ring arguments; frames
// sent with a forged Ethernet source, a forged IPv4 source, a port another environment owns, or
// a bad length (each refused with its error, counted, never sent); a filter claiming everything
// while another environment holds a filter (refused: overlap); a ring whose pages its owner
// frees while attached (the kernel keeps them until the ring goes); and a flood from the host
// into an 8-slot ring that its owner does not read for a second: the kernel drops and counts,
// tells the owner in the slots' Dropped fields, and keeps running.
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Net
{
    internal static unsafe class NetAttack
    {
        private const ulong RingAt = 0x6000_0000, TransmitAt = 0x6100_0000, ReadOnlyAt = 0x6200_0000, FreedAt = 0x6300_0000;
        private const ushort OwnPort = 9, OtherPort = 53;
        private static int s_failures;

        private static void Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("netattack: " + what + " -> " + ExecutiveText.Result(result) + (ok ? " ok" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        private static void Check(string what, bool ok)
        {
            if (!ok) s_failures++;
            System.Console.WriteLine("netattack: " + what + (ok ? " ok" : " WRONG"));
        }

        /// <summary>The filter's id (what ring slots name it by), or the error.</summary>
        private static long Install(ProgramInstruction[] program)
        {
            long handle;
            uint id;
            fixed (ProgramInstruction* p = program) handle = SystemCall.FilterInstall(p, program.Length, out id);
            return handle < 0 ? handle : id;
        }

        public static int Main(string arguments)
        {
            NetInfo info;
            Expect("NetInfo into kernel memory", SystemCall.NetInfo((NetInfo*)0xFFFF_8000_0000_0000), (long)Error.BadAddress);
            Check("NetInfo", SystemCall.NetInfo(&info) == 0);
            Expect("ring of an unknown kind", SystemCall.RingAttach(7, RingAt, 4), (long)Error.BadArgument);
            Expect("ring at an unaligned address", SystemCall.RingAttach(PacketRing.Receive, RingAt + 8, 4), (long)Error.BadArgument);
            Expect("ring in kernel memory", SystemCall.RingAttach(PacketRing.Receive, 0xFFFF_8000_0000_0000, 4), (long)Error.BadAddress);
            Expect("ring on unmapped pages", SystemCall.RingAttach(PacketRing.Receive, RingAt, 4), (long)Error.BadAddress);
            Memory.AllocatePage(ReadOnlyAt, 0);
            Expect("ring on a read-only page", SystemCall.RingAttach(PacketRing.Receive, ReadOnlyAt, 2), (long)Error.BadAddress);
            Expect("ring too large", SystemCall.RingAttach(PacketRing.Receive, RingAt, PacketRing.MaxSlots + 1), (long)Error.BadLength);
            Expect("NetTransmit without a transmit ring", SystemCall.NetTransmit(), (long)Error.BadArgument);
            // Rings belong to an environment, named by a capability for it with Control.
            long frame = SystemCall.FrameAlloc();
            Expect("ring of a forged environment handle", SystemCall.RingAttach(PacketRing.Receive, RingAt, 4, 0x7777_0123), (long)Error.BadHandle);
            Expect("ring of a frame capability", SystemCall.RingAttach(PacketRing.Receive, RingAt, 4, (ulong)frame), (long)Error.BadHandle);
            Expect("NetTransmit of a forged environment handle", SystemCall.NetTransmit(0x7777_0123), (long)Error.BadHandle);
            Expect("NetTransmit of a frame capability", SystemCall.NetTransmit((ulong)frame), (long)Error.BadHandle);
            SystemCall.FrameFree((ulong)frame);

            // A ring whose page its owner frees: the kernel's reference keeps the frame out of
            // anyone else's hands until the ring goes.
            ReceiveRing.Attach(FreedAt, 2, out long r);
            PageInfo page;
            SystemCall.PageQuery(FreedAt, &page);
            SystemCall.PageUnmap(Capability.Self, FreedAt);
            SystemCall.FrameFree(page.FrameHandle);
            Check("freed ring page: the kernel still holds its frame (" + KernelTables.FrameReferences(page.Frame).ToString() + " reference)", KernelTables.FrameReferences(page.Frame) == 1);

            long own = Install(NetFilters.UdpTo(Echo.Address, OwnPort));
            long marker = Install(NetReceive.EndMarker(1));      // netpeer flood's end marker
            Check("filters for UDP port 9 and the end marker", own > 0 && marker > 0);
            ReceiveRing ring = ReceiveRing.Attach(RingAt, 8, out r);
            Check("an 8-slot receive ring replaces the freed one", ring != null);
            Check("the freed ring's frame went back to the allocator", KernelTables.FrameReferences(page.Frame) == 0);

            long child = Process.Fork();
            if (child == 0) return Neighbour();
            ulong neighbour = (ulong)SystemCall.EnvIdOf((ulong)child);
            while ((KernelTables.Environment(neighbour).Status & EnvRecord.Predicate) == 0 && KernelTables.Environment(neighbour).Status != EnvRecord.Ended) SystemCall.Yield();

            TransmitRing transmit = TransmitRing.Attach(TransmitAt, 8, out r);
            Check("a transmit ring", transmit != null);
            Expect("send from port 9 (a reply to it comes back to us)", Send(transmit, info.Mac, Echo.Address, OwnPort, 0), 0);
            Expect("send with a forged Ethernet source", Send(transmit, 0x0100_0000_0002, Echo.Address, OwnPort, 0), (long)Error.Spoofed);
            Expect("send from another IPv4 address", Send(transmit, info.Mac, 0x0A00_0263, OwnPort, 0), (long)Error.Spoofed);
            Expect("send from port 10 (nobody's)", Send(transmit, info.Mac, Echo.Address, 10, 0), (long)Error.Spoofed);
            Expect("send from port 53 (the neighbour's)", Send(transmit, info.Mac, Echo.Address, OtherPort, 0), (long)Error.Spoofed);
            Expect("send a 10-byte frame", Send(transmit, info.Mac, Echo.Address, OwnPort, 10), (long)Error.BadLength);
            Expect("send a 2000-byte frame", Send(transmit, info.Mac, Echo.Address, OwnPort, 2000), (long)Error.BadLength);
            NetInfo after;
            SystemCall.NetInfo(&after);
            Check("the kernel counted 1 frame sent and 6 refused", after.Sent - info.Sent == 1 && after.Refused - info.Refused == 6);
            SystemCall.EnvDestroy((ulong)child);

            System.Console.WriteLine("netattack: ready for the flood");
            Flood(ring, (uint)marker);
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>The forked neighbour: owns UDP port 53; a filter claiming everything is refused
        /// because it would take the other environment's frames. Then it blocks until destroyed.</summary>
        private static int Neighbour()
        {
            EnvironmentName.Set("neighbour");
            Expect("neighbour: filter for UDP port 53", Install(NetFilters.UdpTo(Echo.Address, OtherPort)) > 0 ? 0 : -1, 0);
            Expect("neighbour: a filter claiming every frame", Install(BpfFilters.Everything), (long)Error.Overlap);
            Clock.Sleep(1_000_000);
            return 0;
        }

        private static void Flood(ReceiveRing ring, uint marker)
        {
            NetInfo before, after;
            SystemCall.NetInfo(&before);
            ring.Wait();                        // the flood has begun
            Clock.Sleep(100);                   // a second without reading: the ring fills, the rest is dropped
            uint kept = 0, dropped = 0;
            while (true)
            {
                ring.Wait();
                ring.Next(out byte* frame, out PacketSlot header);
                dropped += header.Dropped;
                ring.Done();
                if (header.FilterId == marker) break;
                kept++;
            }
            SystemCall.NetInfo(&after);
            ulong ringFull = after.RingFull - before.RingFull;
            System.Console.WriteLine("netattack: flood done: read " + kept.ToString() + " frames; the kernel dropped " + ringFull.ToString() +
                                     " for the full ring and said " + dropped.ToString() + " in the slots");
            Check("flood: the ring was full and the kernel dropped frames", kept >= 8 && ringFull > 0);
            Check("flood: the slots' Dropped fields add up to the kernel's count", dropped == ringFull);
            Check("flood: the kernel's counters add up", after.Received == after.Delivered + after.Unclaimed + after.RingFull + after.NoRing);
        }

        /// <summary>Sends a UDP datagram from (mac, ip, port) to 10.0.2.2:1234 (length 0: a proper
        /// 60-byte frame; else that many bytes); the kernel's verdict.</summary>
        private static long Send(TransmitRing ring, ulong mac, uint ip, ushort port, uint length)
        {
            byte* f = ring.Reserve();
            if (f == null) return (long)Error.TableFull;
            for (int i = 0; i < 60; i++) f[i] = 0;
            for (int i = 0; i < 6; i++) f[i] = 0xFF;
            Ethernet.WriteMac(f + 6, mac);
            f[12] = 0x08; f[13] = 0x00;
            f[14] = 0x45; f[17] = 46;           // IPv4, 20-byte header, total length 46
            f[22] = 64; f[23] = 17;             // TTL, UDP
            Ethernet.WriteIpv4(f + 26, ip);
            Ethernet.WriteIpv4(f + 30, 0x0A00_0202);
            f[34] = (byte)(port >> 8); f[35] = (byte)port;
            f[36] = 0x04; f[37] = 0xD2;         // to port 1234
            f[39] = 26;                         // UDP length
            return ring.Send(length == 0 ? 60 : length);
        }
    }
}
