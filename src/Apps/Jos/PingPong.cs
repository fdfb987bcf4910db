// JOS lab 4 user/pingpong: two environments pass a counter back and forth over IPC.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static class PingPong
    {
        public static int Main(string arguments)
        {
            ulong who = 0;
            long child = Process.Fork();
            if (child != 0)
            {
                who = (ulong)SystemCall.EnvIdOf((ulong)child);
                System.Console.WriteLine("send 0 from " + Format.Hex(Process.Id) + " to " + Format.Hex(who));
                Ipc.Send(who, 0);
            }
            while (true)
            {
                ulong i = Ipc.Receive(out who);
                System.Console.WriteLine(Format.Hex(Process.Id) + " got " + i.ToString() + " from " + Format.Hex(who));
                if (i == 10) return 0;
                i++;
                Ipc.Send(who, i);
                if (i == 10) return 0;
            }
        }
    }
}
