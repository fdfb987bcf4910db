// The console's receive ring (ConsoleAttach): one page of its holder's memory, a ConsoleRing
// header then Capacity bytes at DataOffset. The kernel stores byte number n at
// DataOffset + (n % Capacity) and then sets Head to n + 1; the holder reads bytes Tail..Head-1
// and moves Tail on. Head and Tail count bytes since the attach (wrapping at 2^32); when
// Head - Tail reaches Capacity (or the holder wrote a Tail ahead of Head) the ring is full and
// a byte that comes is dropped and counted in Dropped, never waited for.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct ConsoleRing
    {
        public const int DataOffset = 64;
        public const int Capacity = 2048;

        /// <summary>Bytes the kernel has stored (written by the kernel only).</summary>
        public uint Head;
        /// <summary>Bytes the holder has consumed (written by the holder only).</summary>
        public uint Tail;
        /// <summary>Bytes dropped because the ring was full (written by the kernel).</summary>
        public uint Dropped;
        /// <summary>Bytes the serial line brought while this ring was attached, stored or dropped.</summary>
        public uint Received;
    }
}
