// The transmit rule (Abi.PacketRing): a frame leaves only if its Ethernet source is the card's
// and, seen with source and destination swapped, the sender's own filters claim it, so an
// environment can send only traffic whose replies would come back to it. Swapped fields:
// Ethernet addresses; ARP sender and target (hardware and protocol); IPv4 or IPv6 addresses and,
// for TCP and UDP (IPv4: first fragments only), the ports. Other headers are left as they are.
// Works on a kernel copy of the frame; must not allocate (uses one scratch buffer).
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.Executive;

namespace ExoSharp.Kernel.Net;

internal static unsafe class AntiSpoofing
{
    private static byte* s_swapped;

    public static void Initialize() => s_swapped = (byte*)NativeMemory.Alloc(PacketRing.MaxFrame);

    /// <summary>0 if env may send the frame (kernel memory, MinFrame..MaxFrame bytes), else Error.Spoofed.</summary>
    public static long Check(ulong sender, byte* frame, uint length, ulong mac)
    {
        for (int i = 0; i < 6; i++)
            if (frame[6 + i] != (byte)(mac >> (8 * i))) return (long)Error.Spoofed;
        System.Buffer.MemoryCopy(frame, s_swapped, PacketRing.MaxFrame, length);
        Swap(s_swapped, length);
        ulong owner = PacketFilters.Claim(s_swapped, length, out _);
        return owner == sender ? 0 : (long)Error.Spoofed;
    }

    /// <summary>Swaps the addresses of a frame in place (length at least an Ethernet header).</summary>
    public static void Swap(byte* f, uint length)
    {
        Exchange(f, f + 6, 6);
        ushort type = (ushort)(f[12] << 8 | f[13]);
        if (type == 0x0806 && length >= 42)
        {
            Exchange(f + 22, f + 32, 6);            // sender / target hardware address
            Exchange(f + 28, f + 38, 4);            // sender / target protocol address
        }
        else if (type == 0x0800 && length >= 34)
        {
            Exchange(f + 26, f + 30, 4);
            uint headerLength = (uint)(f[14] & 0xF) * 4;
            bool firstFragment = ((f[20] & 0x1F) | f[21]) == 0;
            if (firstFragment && headerLength >= 20) SwapPorts(f, f[23], 14 + headerLength, length);
        }
        else if (type == 0x86DD && length >= 54)
        {
            Exchange(f + 22, f + 38, 16);
            SwapPorts(f, f[20], 54, length);
        }
    }

    private static void SwapPorts(byte* f, byte protocol, uint at, uint length)
    {
        if ((protocol == 6 || protocol == 17) && at + 4 <= length) Exchange(f + at, f + at + 2, 2);
    }

    private static void Exchange(byte* a, byte* b, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
}
