// A known change to the frame table for tests/Boot/cheetah-kernel.test: waits a few seconds
// holding nothing of its own, allocates and maps N frames (default 256) and checks through the
// frame table's window that each now has one reference, holds them a few seconds, frees them and
// checks they read 0 again. Prints the ticks of each step and its frames as runs, so the host
// can compare Cheetah's /kernel/state.json from before and after. Arguments: "[N] [seconds]".
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class HoldFrames
    {
        private const ulong Base = 0x2400_0000_0000;
        private const int MaxFrames = 4096;

        private static void Wait(ulong seconds)
        {
            ulong end = Clock.Ticks + seconds * 100;
            while (Clock.Ticks < end) SystemCall.Yield();
        }

        public static int Main(string arguments)
        {
            ulong n = Arguments.Number(arguments, MaxFrames);
            if (n == 0) n = 256;
            ulong seconds = 4;
            int space = arguments.IndexOf(' ');
            if (space > 0) seconds = Arguments.Number(arguments.Substring(space + 1), 60);
            if (seconds == 0) seconds = 4;
            ulong* handles = stackalloc ulong[(int)n];
            ulong* frames = stackalloc ulong[(int)n];
            System.Console.WriteLine("holdframes: tick " + Clock.Ticks.ToString() + ": holding none of my own; " + n.ToString() + " frames in " + seconds.ToString() + " s");
            Wait(seconds);
            for (ulong i = 0; i < n; i++)
            {
                long h = SystemCall.FrameAlloc();
                if (h < 0) { System.Console.WriteLine("holdframes: FrameAlloc failed (" + h.ToString() + ") after " + i.ToString() + " WRONG"); return 1; }
                handles[i] = (ulong)h;
            }
            long r = SystemCall.PageMapRange(Capability.Self, Base, n, handles, PageFlags.Writable);
            if (r < 0) { System.Console.WriteLine("holdframes: PageMapRange failed (" + r.ToString() + ") WRONG"); return 1; }
            ulong tick = Clock.Ticks;
            int wrong = 0;
            for (ulong i = 0; i < n; i++)
            {
                *(byte*)(Base + i * 4096) = 1;
                PageInfo info;
                if (SystemCall.PageQuery(Base + i * 4096, &info) < 0) { wrong++; continue; }
                frames[i] = info.Frame;
                if (KernelTables.FrameReferences(info.Frame) != 1) wrong++;
            }
            System.Console.WriteLine("holdframes: tick " + tick.ToString() + ": allocated and mapped " + n.ToString() +
                                     " frames; the frame table shows one reference on " + (n - (ulong)wrong).ToString() + (wrong == 0 ? " ok" : " WRONG"));
            PrintRuns(frames, n);
            Wait(seconds);
            for (ulong i = 0; i < n; i++) SystemCall.FrameFree(handles[i]);
            tick = Clock.Ticks;
            int left = 0;
            for (ulong i = 0; i < n; i++)
                if (KernelTables.FrameReferences(frames[i]) != 0) left++;
            System.Console.WriteLine("holdframes: tick " + tick.ToString() + ": freed them; " + left.ToString() + " still referenced" + (left == 0 ? " ok" : " WRONG"));
            Wait(seconds);
            System.Console.WriteLine("holdframes: done");
            return wrong == 0 && left == 0 ? 0 : 1;
        }

        /// <summary>The frames sorted, as "first-last" runs, 16 a line.</summary>
        private static void PrintRuns(ulong* frames, ulong n)
        {
            ulong* sorted = stackalloc ulong[(int)n];
            for (ulong i = 0; i < n; i++)
            {
                ulong v = frames[i], j = i;
                while (j > 0 && sorted[j - 1] > v) { sorted[j] = sorted[j - 1]; j--; }
                sorted[j] = v;
            }
            string line = "";
            int inLine = 0;
            for (ulong i = 0; i < n;)
            {
                ulong end = i + 1;
                while (end < n && sorted[end] == sorted[end - 1] + 1) end++;
                line += (inLine == 0 ? "" : " ") + sorted[i].ToString() + "-" + sorted[end - 1].ToString();
                if (++inLine == 16 || end == n)
                {
                    System.Console.WriteLine("holdframes: frames " + line);
                    line = "";
                    inLine = 0;
                }
                i = end;
            }
        }
    }
}
