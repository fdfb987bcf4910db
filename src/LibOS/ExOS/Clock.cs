// Time for environments, in the kernel's timer ticks (100 per second, docs/abi.md), and the
// wall clock from the kernel's clock page (the RTC at boot plus the ticks since). Sleep blocks on a wakeup predicate that only reads the ticks since the wait began, so a
// sleeping environment uses no processor time.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Clock
    {
        private static uint s_anchor;

        private static ClockRecord* Page => (ClockRecord*)UserLayout.Clock;

        /// <summary>Timer ticks since boot, read from the clock page without a system call (a
        /// volatile read: the kernel changes the word, so a wait loop must read it every time).</summary>
        public static ulong Ticks => System.Threading.Volatile.Read(ref Page->Ticks);

        /// <summary>TSC cycles the kernel has spent halted in its idle loop since boot (the clock
        /// page's IdleCycles): a benchmark takes them out of its time-stamp-counter spans.</summary>
        public static ulong IdleCycles => System.Threading.Volatile.Read(ref Page->IdleCycles);

        /// <summary>Seconds since 1970-01-01 UTC (whole seconds); 0 if the RTC could not be read.</summary>
        public static ulong UnixSeconds
        {
            get
            {
                ClockRecord* page = Page;
                if (page->BootSeconds == 0) return 0;
                return page->BootSeconds + (Ticks - page->BootTick) / page->TicksPerSecond;
            }
        }

        /// <summary>Blocks for at least ticks timer ticks.</summary>
        public static void Sleep(uint ticks)
        {
            if (ticks == 0) return;
            ProgramInstruction* program = stackalloc ProgramInstruction[4];
            program[0] = new ProgramInstruction(0xc0, 0, 0, 4);    // ld ctx[4]: ticks since the wait began
            program[1] = new ProgramInstruction(0x35, 0, 1, ticks); // jge #ticks
            program[2] = new ProgramInstruction(0x06, 0, 0, 1);     // ret #1
            program[3] = new ProgramInstruction(0x06, 0, 0, 0);     // ret #0
            fixed (uint* anchor = &s_anchor)
            {
                ulong word = (ulong)anchor;                          // a word of our own: the predicate needs one
                SystemCall.PredicateWait(program, 4, &word, 1);
            }
        }
    }
}
