// A program that makes and reaps many children, as a shell or init does: each child's
// capability is dropped when it has ended, so the table never fills however many there are.
// `reap N F`: N children made with EnvCreate and destroyed at once, then F real forks that
// exit with their number and are waited for. Prints what it checked and the counts.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static class Reaper
    {
        public static int Main(string arguments)
        {
            int space = arguments.IndexOf(' ');
            ulong made = Arguments.Number(arguments, 10_000_000);
            ulong forks = space < 0 ? 0 : Arguments.Number(arguments.Substring(space + 1), 100_000);
            long firstHandle = 0, lastHandle = 0;
            for (ulong i = 0; i < made; i++)
            {
                long child = SystemCall.EnvCreate();
                if (child <= 0)
                {
                    System.Console.WriteLine("reap: child " + i.ToString() + " could not be made: " + child.ToString() + " WRONG");
                    return 1;
                }
                if (i == 0) firstHandle = child;
                lastHandle = child;
                long r = SystemCall.EnvDestroy((ulong)child);
                long d = Process.Release((ulong)child);
                if (r != 0 || d != 0)
                {
                    System.Console.WriteLine("reap: destroy " + r.ToString() + ", drop " + d.ToString() + " WRONG");
                    return 1;
                }
            }
            System.Console.WriteLine("reap: made, destroyed and dropped " + made.ToString() + " children ok");
            System.Console.WriteLine("reap: the first child's handle is stale: " + SystemCall.EnvIdOf((ulong)firstHandle).ToString() +
                                     (SystemCall.EnvIdOf((ulong)firstHandle) == (long)Error.BadHandle ? " ok" : " WRONG"));
            System.Console.WriteLine("reap: the last child's handle is stale: " + SystemCall.EnvIdOf((ulong)lastHandle).ToString() +
                                     (SystemCall.EnvIdOf((ulong)lastHandle) == (long)Error.BadHandle ? " ok" : " WRONG"));
            ulong sum = 0, expected = 0;
            for (ulong i = 0; i < forks; i++)
            {
                long child = Process.Fork();
                if (child == 0) SystemCall.Exit((int)(i % 100));
                if (child < 0)
                {
                    System.Console.WriteLine("reap: fork " + i.ToString() + " failed: " + child.ToString() + " WRONG");
                    return 1;
                }
                sum += (ulong)Process.Wait((ulong)child);
                expected += i % 100;
            }
            System.Console.WriteLine("reap: forked and waited for " + forks.ToString() + " children, statuses add up to " + sum.ToString() +
                                     (sum == expected ? " ok" : " WRONG"));
            long frame = SystemCall.FrameAlloc();
            System.Console.WriteLine("reap: a frame afterwards: " + (frame > 0 ? "ok" : frame.ToString() + " WRONG"));
            return 0;
        }
    }
}
