// One direction of an in-memory wire for host tests: the stack writes a frame into Slot and
// Send copies it out, to be delivered to the other stack by the Wire.
using System.Runtime.InteropServices;
using ExoSharp.LibOS.Net;

namespace ExoSharp.Tests.Net
{
    public sealed unsafe class MemoryLink : IFrameLink
    {
        public readonly byte* Slot = (byte*)NativeMemory.AllocZeroed(2048);
        public readonly List<byte[]> Sent = new List<byte[]>();
        public bool Busy;

        public byte* Reserve() => Busy ? null : Slot;

        public bool Send(uint length)
        {
            if (length > 1514 || length < 60) throw new InvalidOperationException("frame of " + length + " bytes");
            var copy = new byte[length];
            Marshal.Copy((IntPtr)Slot, copy, 0, (int)length);
            Sent.Add(copy);
            return true;
        }
    }
}
