// EnvCreate at every point of memory exhaustion: the program takes every frame it can, then
// frees k of them (k = 1, 2, ..., 12) and asks for a child each time, so the kernel runs out
// somewhere inside making one (its address space, page tables, the repossession vector's window,
// the context, the capability table). Every refusal must undo what was made; a kernel that freed
// the wrong pointer on one of these paths corrupted its heap and panicked later.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class CreateExhaust
    {
        private const int MaxHeld = 70000;
        private const int MaxFree = 12;

        public static int Main(string arguments)
        {
            long* held = (long*)System.Runtime.InteropServices.NativeMemory.Alloc(MaxHeld * 8);
            int count = 0, refused = 0, created = 0;
            for (int k = 1; k <= MaxFree; k++)
            {
                long r;
                while (count < MaxHeld && (r = SystemCall.FrameAlloc()) > 0) held[count++] = r;
                for (int i = 0; i < k && count > 0; i++) SystemCall.FrameFree((ulong)held[--count]);
                long child = SystemCall.EnvCreate();
                if (child == 0) SystemCall.Exit(0);                 // never runs: no slot
                if (child > 0)
                {
                    created++;
                    SystemCall.EnvDestroy((ulong)child);
                }
                else refused++;
            }
            for (int i = 0; i < count; i++) SystemCall.FrameFree((ulong)held[i]);
            KernelCheckInfo check;
            long violations = SystemCall.KernelCheck(&check);
            long after = SystemCall.EnvCreate();
            if (after == 0) SystemCall.Exit(0);
            System.Console.WriteLine("createexhaust: EnvCreate with 1 to " + MaxFree.ToString() + " frames left: " + created.ToString() + " made, " +
                                     refused.ToString() + " refused; self-check " + (violations == (long)Error.NoSuchCall ? "off" : violations.ToString() + " violations") +
                                     "; a child afterwards: " + (after > 0 ? "made" : after.ToString()));
            return after > 0 && violations <= 0 && created + refused == MaxFree ? 0 : 1;
        }
    }
}
