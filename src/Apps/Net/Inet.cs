// The small inetd services (RFC 862 echo on port 7, RFC 863 discard on 9, RFC 864 chargen on
// 19), over TCP and UDP, on ExOS's network stack (src/LibOS/Net): one environment, one event
// loop over every connection, no thread per connection. `make run` forwards host ports to
// them. Arguments: "[N] [dhcp] [bulk] [http] [client=ADDRESS]": exit once N TCP connections have
// been served and closed (default: serve for ever); dhcp: take the address from DHCP instead of
// 10.0.2.15; bulk: 256 KiB buffers each way for 16 control blocks instead of 16 KiB for 272;
// http: Cheetah (src/Apps/Cheetah) on port 80 too, serving /www of the disk, in this
// environment's loop (one environment owns the address, docs/network.md), up to HttpMax
// connections at once, with the kernel's tables live at /kernel (KernelSite); client: after
// the N, exchange 4 MiB (mib=M: M MiB) each way with the wire peer at ADDRESS (WireClient).
// On exit it prints the stack's counters and its memory (the stack's arena, the heap, the
// frames its account pays for) at start and at end; grow=K fails the run (status 3) when heap
// or frames grew by more than K KiB or the arena grew at all.
using ExoSharp.Apps.Cheetah;
using ExoSharp.Apps.Cheetah.Http;
using ExoSharp.LibOS.Net;
using ExoSharp.LibOS.Net.Ring;

namespace ExoSharp.Apps.Net
{
    internal static unsafe class Inet
    {
        private const int MaxConnections = 264, HttpMax = 64;
        private const string Site = "/www";
        private const byte Echo = 1, Discard = 2, Chargen = 3;
        private const uint Chunk = 16384;

        public static int Main(string arguments)
        {
            long limit = (long)Arguments.Number(arguments, 1_000_000);
            bool dhcp = Has(arguments, "dhcp"), bulk = Has(arguments, "bulk");
            long grow = -1;                 // grow=K: at exit, fail unless heap and frames grew by at most K KiB
            uint peer = 0, mib = 4;
            for (int w = 0; WireClient.Word(arguments, w).Length > 0; w++)
            {
                string word = WireClient.Word(arguments, w);
                if (word.Length > 4 && Has(word.Substring(0, 4), "mib=")) mib = (uint)Arguments.Number(word.Substring(4), 1024);
                if (word.Length > 5 && Has(word.Substring(0, 5), "grow=")) grow = (long)Arguments.Number(word.Substring(5), 1 << 20);
                if (word.Length <= 7 || !Has(word.Substring(0, 7), "client=")) continue;
                int at = 7;
                peer = WireClient.ParseIpv4(word, ref at);
                if (peer == 0 || at != word.Length)
                {
                    System.Console.WriteLine("inet: client=" + word.Substring(7) + " is not an IPv4 address");
                    return 2;
                }
            }
            CffsSite site = null;
            if (Has(arguments, "http"))
            {
                site = CffsSite.Open(Site, out string why);
                if (site == null) System.Console.WriteLine("inet: no HTTP: " + why);
            }
            var config = new NetConfig
            {
                Address = dhcp ? 0u : 0x0A00_020Fu, Gateway = 0x0A00_0202, Netmask = 0xFFFF_FF00,
                TcpConnections = MaxConnections + 8 + (site != null ? HttpService.ConnectionsNeeded(HttpMax) : 0),
                TcpSendBuffer = 16384, TcpReceiveBuffer = 16384, TimeWait = 10_000,
            };
            if (bulk)
            {
                config.TcpConnections = 16;
                config.TcpSendBuffer = config.TcpReceiveBuffer = 256 * 1024;
            }
            NetInterface nif = NetInterface.Open(config, out string problem);
            if (nif == null)
            {
                System.Console.WriteLine("inet: " + problem);
                return 1;
            }
            NetStack stack = nif.Stack;
            int echo = stack.TcpListen(7, MaxConnections), discard = stack.TcpListen(9, 64), chargen = stack.TcpListen(19, 64);
            int udpEcho = stack.UdpBind(7), udpDiscard = stack.UdpBind(9), udpChargen = stack.UdpBind(19);
            if (echo < 0 || discard < 0 || chargen < 0 || udpEcho < 0 || udpDiscard < 0 || udpChargen < 0)
            {
                System.Console.WriteLine("inet: a port is refused");
                return 1;
            }
            HttpService http = null;
            if (site != null)
            {
                http = HttpService.Open(stack, new HttpServer(new HttpConfig(), new KernelSite(site)), HttpMax, out int error);
                if (http == null) System.Console.WriteLine("inet: no HTTP: port 80 refused (" + error.ToString() + ")");
            }
            System.Console.WriteLine("inet: ready: echo, discard, chargen on TCP and UDP ports 7, 9, 19 at " + Wire.FormatIpv4(stack.Address) +
                                     (dhcp ? " (from DHCP, router " + Wire.FormatIpv4(config.Gateway) + ", DNS " + Wire.FormatIpv4(stack.DnsServer) + ")" : "") +
                                     (http != null ? "; Cheetah on port 80 from " + Site : "") +
                                     "; stack memory " + (stack.MemoryUsed >> 10).ToString() + " KiB");
            ulong memoryAtStart = stack.MemoryUsed;
            MemoryNow(out ulong heapAtStart, out ulong inUseAtStart, out ulong framesAtStart);
            int* handles = stackalloc int[MaxConnections];
            byte* kinds = stackalloc byte[MaxConnections];
            uint* position = stackalloc uint[MaxConnections];
            int active = 0, peak = 0;
            long served = 0, bytesIn = 0, bytesOut = 0;
            byte[] bufferArray = new byte[Chunk];
            fixed (byte* buffer = bufferArray)
            {
                while (limit == 0 || served < limit || active > 0)
                {
                    bool progress = nif.Poll() > 0;
                    for (int l = 0; l < 3; l++)
                    {
                        int listener = l == 0 ? echo : l == 1 ? discard : chargen;
                        while (active < MaxConnections)
                        {
                            int h = stack.TcpAccept(listener);
                            if (h < 0) break;
                            stack.TcpNoDelay(h, true);
                            handles[active] = h;
                            kinds[active] = (byte)(l + 1);
                            position[active] = 0;
                            active++;
                            progress = true;
                        }
                    }
                    if (active > peak) peak = active;
                    for (int i = 0; i < active; i++)
                    {
                        int h = handles[i];
                        TcpConnection c = stack.Connection(h);
                        bool finished = false;
                        if (kinds[i] == Chargen)
                        {
                            while (c.Send.Free > 0 && (stack.Readiness(h) & NetStack.Writable) != 0)
                            {
                                uint n = c.Send.Free < Chunk ? c.Send.Free : Chunk;
                                for (uint k = 0; k < n; k++) buffer[k] = ChargenByte(position[i] + k);
                                int sent = stack.TcpSend(h, buffer, n);
                                if (sent <= 0) break;
                                position[i] += (uint)sent;
                                bytesOut += sent;
                                progress = true;
                            }
                        }
                        while (true)
                        {
                            uint room = kinds[i] == Echo ? (c.Send.Free < Chunk ? c.Send.Free : Chunk) : Chunk;
                            if (room == 0) break;
                            int n = stack.TcpReceive(h, buffer, room);
                            if (n == NetError.WouldBlock) break;
                            if (n <= 0) { finished = true; break; }
                            bytesIn += n;
                            progress = true;
                            if (kinds[i] == Echo)
                            {
                                stack.TcpSend(h, buffer, (uint)n);
                                bytesOut += n;
                            }
                        }
                        if (!finished && (stack.Readiness(h) & NetStack.Failed) != 0) finished = true;
                        if (!finished) continue;
                        stack.TcpClose(h);
                        served++;
                        handles[i] = handles[active - 1];
                        kinds[i] = kinds[active - 1];
                        position[i] = position[active - 1];
                        active--;
                        i--;
                        progress = true;
                    }
                    progress |= Datagrams(stack, udpEcho, udpChargen, udpDiscard, buffer);
                    if (http != null) progress |= http.Step(NetClock.Now);
                    if (!progress) nif.Wait(1);
                }
            }
            if (http != null) System.Console.WriteLine("inet: cheetah: " + http.Report());
            int failed = peer == 0 ? 0 : WireClient.Exchange(nif, peer, mib << 20, 7, "inet: client: ");
            NetCounters k2 = stack.Counters;
            System.Console.WriteLine("inet: served " + served.ToString() + " TCP connections (at most " + peak.ToString() + " at once), " +
                                     bytesIn.ToString() + " bytes in, " + bytesOut.ToString() + " bytes out");
            System.Console.WriteLine("inet: segments in " + k2.SegmentsIn.ToString() + ", out " + k2.SegmentsOut.ToString() +
                                     "; retransmits: timeout " + k2.RetransmitsTimeout.ToString() + ", fast " + k2.RetransmitsFast.ToString() +
                                     ", SACK " + k2.RetransmitsSack.ToString() + ", partial " + k2.RetransmitsPartial.ToString() +
                                     "; bad checksums " + (k2.TcpBadChecksum + k2.IpBadChecksum + k2.UdpBadChecksum).ToString() +
                                     ", out of window " + k2.OutOfWindow.ToString() + ", transmit busy " + k2.TransmitBusy.ToString());
            System.Console.WriteLine("inet: drops: SYNs over the backlog " + k2.SynBacklogDrops.ToString() + ", out of window " + k2.OutOfWindow.ToString() +
                                     ", challenge ACKs " + k2.ChallengeAcks.ToString() + ", PAWS " + k2.PawsDrops.ToString() + ", bad TCP " + k2.TcpBad.ToString() +
                                     ", TCP checksums " + k2.TcpBadChecksum.ToString() + ", bad IP headers " + k2.IpBadHeader.ToString() + ", IP checksums " + k2.IpBadChecksum.ToString() +
                                     ", bad UDP " + k2.UdpBad.ToString() + ", UDP checksums " + k2.UdpBadChecksum.ToString() + ", bad ICMP " + k2.IcmpBad.ToString() +
                                     ", bad ARP " + k2.ArpBad.ToString() + ", unknown types " + k2.DropUnknownType.ToString() + ", short " + k2.DropShort.ToString() +
                                     ", fragment overlaps " + k2.FragmentOverlaps.ToString() + ", fragments too big " + k2.FragmentTooBig.ToString() +
                                     ", fragment timeouts " + k2.FragmentTimeouts.ToString() + ", no fragment slot " + k2.FragmentNoSlot.ToString() +
                                     "; reassembled " + k2.Reassembled.ToString() + ", window probes " + k2.WindowProbes.ToString() + ", resets in " + k2.ResetsIn.ToString());
            System.Console.WriteLine("inet: stack memory " + (memoryAtStart >> 10).ToString() + " KiB at start, " + (stack.MemoryUsed >> 10).ToString() +
                                     " KiB at end; control blocks in use " + stack.ConnectionsInUse.ToString() + " (the 3 listeners and TIME-WAIT)");
            MemoryNow(out ulong heapAtEnd, out ulong inUseAtEnd, out ulong framesAtEnd);
            System.Console.WriteLine("inet: memory at start and at end: heap mapped " + (heapAtStart >> 10).ToString() + " KiB, " + (heapAtEnd >> 10).ToString() +
                                     " KiB; heap in use after a collection " + (inUseAtStart >> 10).ToString() + " KiB, " + (inUseAtEnd >> 10).ToString() +
                                     " KiB; frames paid for " + framesAtStart.ToString() + ", " + framesAtEnd.ToString());
            if (grow >= 0)
            {
                long heapGrowth = (long)heapAtEnd - (long)heapAtStart, inUseGrowth = (long)inUseAtEnd - (long)inUseAtStart;
                long frameGrowth = (long)framesAtEnd - (long)framesAtStart, stackGrowth = (long)stack.MemoryUsed - (long)memoryAtStart;
                long worst = heapGrowth > inUseGrowth ? heapGrowth : inUseGrowth;
                if (frameGrowth * 4096 > worst) worst = frameGrowth * 4096;
                bool ok = worst <= grow << 10 && stackGrowth == 0;
                System.Console.WriteLine("inet: memory growth: heap mapped " + heapGrowth.ToString() + " bytes, heap in use " + inUseGrowth.ToString() +
                                         " bytes, frames " + frameGrowth.ToString() + ", stack arena " + stackGrowth.ToString() + " bytes; bound " +
                                         grow.ToString() + " KiB each, arena 0: " + (ok ? "ok" : "WRONG"));
                if (!ok && failed == 0) failed = 3;
            }
            return failed;
        }

        /// <summary>The program's memory now: heap mapped, heap in use after a full collection,
        /// and the frames its account pays for (its own, its page and capability tables).</summary>
        private static void MemoryNow(out ulong heapMapped, out ulong heapInUse, out ulong frames)
        {
            heapInUse = (ulong)System.GC.GetTotalMemory(true);
            heapMapped = ExoSharp.LibOS.ExOS.Memory.HeapMapped;
            ExoSharp.Abi.AccountInfo info;
            ExoSharp.LibOS.ExOS.SystemCall.AccountInfo(&info);
            frames = info.FramesUsed;
        }

        private static bool Has(string text, string word)
        {
            for (int i = 0; i + word.Length <= text.Length; i++)
            {
                int k = 0;
                while (k < word.Length && text[i + k] == word[k]) k++;
                if (k == word.Length) return true;
            }
            return false;
        }

        /// <summary>RFC 864's pattern: lines of 72 printable characters, each starting one later.</summary>
        private static byte ChargenByte(uint at)
        {
            uint line = at / 74, column = at % 74;
            if (column == 72) return 13;
            if (column == 73) return 10;
            return (byte)(32 + (line + column) % 95);
        }

        private static bool Datagrams(NetStack stack, int echo, int chargen, int discard, byte* buffer)
        {
            bool progress = false;
            for (int s = 0; s < 3; s++)
            {
                int h = s == 0 ? echo : s == 1 ? chargen : discard;
                while (stack.UdpReadable(h))
                {
                    int n = stack.UdpReceive(h, buffer, Chunk, out uint from, out ushort port);
                    if (n < 0) break;
                    progress = true;
                    if (h == echo) stack.UdpSend(h, from, port, buffer, (uint)n);
                    else if (h == chargen)
                    {
                        uint length = 1 + (uint)(stack.Now % 512);
                        for (uint k = 0; k < length; k++) buffer[k] = ChargenByte(k);
                        stack.UdpSend(h, from, port, buffer, length);
                    }
                }
            }
            return progress;
        }
    }
}
