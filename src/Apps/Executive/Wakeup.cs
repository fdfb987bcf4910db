// Wakeup predicates between two environments: a forked sleeper gets a page from its parent over
// IPC and blocks until a word in it is 42; the parent sees it blocked in the environment table,
// stores 41 (it stays blocked), then 42 (it wakes with the predicate's value). The sleeper then
// waits on the same predicate again (true at once), on "word is 7 or 20 ticks have passed" (a
// timeout), and on a word whose page the parent unmaps (the wait ends with BadAddress).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class Wakeup
    {
        private const ulong Shared = 0x5100_0000;
        private const ulong SharedInSleeper = 0x5200_0000;
        private static int s_failures;

        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        /// <summary>word0 == value: returns the word (non-zero), else 0.</summary>
        private static ProgramInstruction[] WordIs(uint value) => new[]
        {
            I(0xc0, 0, 0, 0),           // ld ctx[0]       the word
            I(0x15, 0, 1, value),       // jeq #value
            I(0x16, 0, 0, 0),           // ret a
            I(0x06, 0, 0, 0),           // ret #0
        };

        /// <summary>word0 == 7 (returns 1) or at least 20 ticks since the wait began (returns 2).</summary>
        private static ProgramInstruction[] SevenOrTimeout => new[]
        {
            I(0xc0, 0, 0, 0),           // ld ctx[0]       the word
            I(0x15, 3, 0, 7),           // jeq #7          -> ret #1
            I(0xc0, 0, 0, 4),           // ld ctx[4]       ticks since the wait began
            I(0x35, 0, 1, 20),          // jge #20
            I(0x06, 0, 0, 2),           // ret #2
            I(0x06, 0, 0, 0),           // ret #0
            I(0x06, 0, 0, 1),           // ret #1
        };

        private static long Wait(ProgramInstruction[] program, ulong word)
        {
            fixed (ProgramInstruction* p = program) return SystemCall.PredicateWait(p, program.Length, &word, 1);
        }

        private static void Check(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("wakeup: " + what + " -> " + ExecutiveText.Result(result) + (ok ? "" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        private static bool Blocked(ulong id) => (KernelTables.Environment(id).Status & EnvRecord.Predicate) != 0;

        private static int Sleeper()
        {
            EnvironmentName.Set("sleeper");
            Ipc.Receive(out _, SharedInSleeper);
            System.Console.WriteLine("wakeup: sleeper waits until the shared word is 42");
            long woke = Wait(WordIs(42), SharedInSleeper);
            Check("sleeper woke, word " + (*(uint*)SharedInSleeper).ToString() + ", PredicateWait", woke, 42);
            Check("same predicate again, already true: returned at once", Wait(WordIs(42), SharedInSleeper), 42);
            Check("word is 7 or 20 ticks: timed out with", Wait(SevenOrTimeout, SharedInSleeper), 2);
            Ipc.Send(Process.Parent, 0);
            Check("waiting on a word whose page was unmapped", Wait(WordIs(99), SharedInSleeper), (long)Error.BadAddress);
            return s_failures == 0 ? 0 : 1;
        }

        public static int Main(string arguments)
        {
            Memory.AllocatePage(Shared);
            long child = Process.Fork();
            if (child == 0) return Sleeper();
            ulong sleeper = (ulong)SystemCall.EnvIdOf((ulong)child);
            Ipc.Send((ulong)child, 0, Shared, PageFlags.Writable);
            while (!Blocked(sleeper)) SystemCall.Yield();
            System.Console.WriteLine("wakeup: the environment table shows the sleeper blocked on its predicate");
            *(uint*)Shared = 41;
            for (int i = 0; i < 5; i++) SystemCall.Yield((ulong)child);
            bool still = Blocked(sleeper);
            if (!still) s_failures++;
            System.Console.WriteLine("wakeup: stored 41: the sleeper is " + (still ? "still blocked" : "awake WRONG"));
            System.Console.WriteLine("wakeup: storing 42");
            *(uint*)Shared = 42;        // no directed yield: the scheduler finds it true at the sleeper's turn
            Ipc.Receive(out _);
            while (!Blocked(sleeper)) SystemCall.Yield();
            System.Console.WriteLine("wakeup: unmapping the sleeper's shared page");
            SystemCall.PageUnmap((ulong)child, SharedInSleeper);
            SystemCall.Yield((ulong)child);
            while (KernelTables.Environment(sleeper).Status != EnvRecord.Ended) SystemCall.Yield();
            return s_failures == 0 && KernelTables.Environment(sleeper).ExitStatus == 0 ? 0 : 1;
        }
    }
}
