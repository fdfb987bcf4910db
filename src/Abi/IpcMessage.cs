// What IpcCall sends and IpcWait receives (and IpcReply answers with): three words and,
// optionally, a frame capability: the sender names its handle and PageFlags (Writable to let
// the receiver map it writable, if the sender's capability allows); the receiver finds a
// handle in its own table. From is filled in by the kernel.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct IpcMessage
    {
        public ulong From;
        public ulong Word0;
        public ulong Word1;
        public ulong Word2;
        public ulong FrameHandle;
        public ulong FrameFlags;
    }
}
