// FilterClassify's answer about one packet: the environment whose filter claimed it (0: none),
// that filter, the value its program returned (libpcap's snapshot length), and which engine
// decided (FilterEngine): compiled x86-64 code, or the interpreter when compiling failed.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct FilterMatch
    {
        public ulong Owner;
        public ulong FilterId;
        public ulong Value;
        public ulong Engine;
    }
}
