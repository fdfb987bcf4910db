// RFLAGS.NT from ring 3: popfq may set it, and if a system call entered the kernel with NT
// still set, the kernel's iretq (every environment switch) would fault in ring 0. The kernel
// clears NT on entry (the SYSCALL flag mask) and rebuilds RFLAGS on every return to ring 3.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static class NestedTask
    {
        private const ulong Nt = 0x4000;

        public static int Main(string arguments)
        {
            int rounds = 0;
            for (int i = 0; i < 100; i++)
            {
                ulong set = Machine.SetNestedTask();
                if ((set & Nt) == 0)
                {
                    System.Console.WriteLine("ntflag: popfq did not set NT (rflags 0x" + set.ToString("x") + "): nothing tested");
                    return 1;
                }
                SystemCall.Yield();                 // an environment switch: the kernel's iretq
                if ((Machine.Flags() & Nt) != 0)
                {
                    System.Console.WriteLine("ntflag: NT came back from the kernel set");
                    return 1;
                }
                Machine.SetNestedTask();
                SystemCall.FrameAlloc();            // the general path's sysret
                if ((Machine.Flags() & Nt) != 0)
                {
                    System.Console.WriteLine("ntflag: NT came back from sysret set");
                    return 1;
                }
                Machine.SetNestedTask();
                SystemCall.EnvId();                 // the EnvId fast path
                if ((Machine.Flags() & Nt) != 0)
                {
                    System.Console.WriteLine("ntflag: NT came back from the EnvId path set");
                    return 1;
                }
                rounds++;
            }
            System.Console.WriteLine("ntflag: NT set before " + rounds.ToString() + " rounds of Yield, FrameAlloc and EnvId; the kernel survived and cleared it each time");
            return 0;
        }
    }
}
