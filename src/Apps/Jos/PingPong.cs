// JOS lab 4 user/pingpong: two environments pass a counter back and forth over IPC.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static class PingPong
    {
        public static int Main(string arguments)
        {
            // The parent sends through its capability for the child, the child through its
            // Process.Parent endpoint; each names the other by id only in what it prints.
            long child = Process.Fork();
            ulong peer = child != 0 ? (ulong)child : Process.Parent;
            ulong peerId = child != 0 ? (ulong)SystemCall.EnvIdOf((ulong)child) : KernelTables.Environment(Process.Id).ParentId;
            if (child != 0)
            {
                System.Console.WriteLine("send 0 from " + Format.Hex(Process.Id) + " to " + Format.Hex(peerId));
                Ipc.Send(peer, 0);
            }
            while (true)
            {
                ulong i = Ipc.Receive(out _);
                System.Console.WriteLine(Format.Hex(Process.Id) + " got " + i.ToString() + " from " + Format.Hex(peerId));
                if (i == 10) return 0;
                i++;
                Ipc.Send(peer, i);
                if (i == 10) return 0;
            }
        }
    }
}
