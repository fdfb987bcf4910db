// What IpcCall sends and IpcWait receives (and IpcReply answers with): three words and,
// optionally, a capability of any kind but a reply: the sender names its handle (and, for a
// frame, PageFlags.Writable in HandleFlags to let the receiver map it writable, if the
// sender's capability allows); the receiver finds a handle in its own table, derived from the
// sender's (the sender can revoke it). From is filled in by the kernel: the badge of the
// endpoint capability the call came through (0 in a reply).
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
        public ulong Handle;
        public ulong HandleFlags;
    }
}
