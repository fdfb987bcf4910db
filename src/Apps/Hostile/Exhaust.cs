// Runs the machine out of frames: children take frames until the kernel refuses (each
// capability table holds at most Capability.TableSize, so more children carry on where one
// is full). The kernel must answer NoMemory, not panic (it keeps a reserve for itself), and
// get every frame back when they end.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static class Exhaust
    {
        private const int MaxChildren = 64;
        private const int Slack = 256;

        /// <summary>One frame mapped at a new 2 MiB region each time, so that every mapping
        /// costs the kernel a page-table frame: it must answer NoMemory, not run dry.</summary>
        public static int Sparse(string arguments)
        {
            long frame = SystemCall.FrameAlloc();
            int mapped = 0;
            long r;
            while ((r = SystemCall.PageMap(Capability.Self, 0x1_0000_0000UL + (ulong)mapped * 0x20_0000, (ulong)frame, 0)) == 1) mapped++;
            System.Console.WriteLine("sparse: " + mapped.ToString() + " mappings, each with a page table of its own, then " + r.ToString());
            long after = SystemCall.FrameAlloc();
            System.Console.WriteLine("sparse: a frame now: " + after.ToString());
            return r == (long)Error.NoMemory ? 0 : 1;
        }

        public static int Main(string arguments)
        {
            long[] children = new long[MaxChildren];
            int count = 0, total = 0;
            bool outOfMemory = false;
            while (count < MaxChildren && !outOfMemory)
            {
                long child = Process.Fork();
                if (child == 0)
                {
                    // The last few frames go back at once, so that the others (whose
                    // copy-on-write pages need frames too) can carry on.
                    long[] last = new long[Slack];
                    int taken = 0;
                    long r;
                    while ((r = SystemCall.FrameAlloc()) > 0) last[taken++ % Slack] = r;
                    for (int i = 0; i < Slack && i < taken; i++) SystemCall.FrameFree((ulong)last[i]);
                    Ipc.Send(Process.Parent, (ulong)taken | (r == (long)Error.NoMemory ? 1UL << 32 : 0));
                    while (true) Ipc.Receive(out _);
                }
                children[count++] = child;
                ulong report = Ipc.Receive(out _);
                total += (int)(uint)report;
                outOfMemory = (report >> 32) != 0;
            }
            System.Console.WriteLine("exhaust: " + count.ToString() + " children took " + total.ToString() +
                                     " frames; then the kernel said NoMemory: " + (outOfMemory ? "yes" : "no"));
            for (int i = 0; i < count; i++) SystemCall.EnvDestroy((ulong)children[i]);
            int again = 0;
            long[] handles = new long[1000];
            for (int i = 0; i < 1000; i++)
                if ((handles[i] = SystemCall.FrameAlloc()) > 0) again++;
            System.Console.WriteLine("exhaust: after they ended, " + again.ToString() + " of 1000 frames came back");
            return outOfMemory && again == 1000 ? 0 : 1;
        }
    }
}
