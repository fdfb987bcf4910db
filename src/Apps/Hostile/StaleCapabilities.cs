// Stale capabilities where generations run out (boot option capgen=near starts every
// generation 3 short of its limit, the state 2^43 reuses of a slot or 2^51 of an environment
// index would reach): a slot is used three times, then retired, never a fourth; an environment
// capability kept after its environment ended never reaches the environment that reuses the
// index; once every index is retired EnvCreate answers TableFull and no id was ever repeated.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static class StaleCapabilities
    {
        private static int s_failures;

        private static void Check(string what, bool ok)
        {
            if (!ok) s_failures++;
            System.Console.WriteLine("stalecaps: " + what + (ok ? " ok" : " WRONG"));
        }

        private static ulong SlotOf(long handle) => (ulong)handle & (Capability.MaxTableSize - 1);

        public static int Main(string arguments)
        {
            long[] uses = new long[4];
            for (int i = 0; i < 4; i++)
            {
                uses[i] = SystemCall.FrameAlloc();
                if (i < 3) SystemCall.FrameFree((ulong)uses[i]);
            }
            Check("a slot's three last generations: handles " + uses[0].ToString("x") + ", " + uses[1].ToString("x") + ", " + uses[2].ToString("x"),
                  uses[0] > 0 && SlotOf(uses[1]) == SlotOf(uses[0]) && SlotOf(uses[2]) == SlotOf(uses[0]) && uses[1] != uses[0] && uses[2] != uses[1]);
            Check("then the slot is retired: the next frame lands in slot " + SlotOf(uses[3]).ToString(), uses[3] > 0 && SlotOf(uses[3]) != SlotOf(uses[0]));
            bool stale = true;
            for (int i = 0; i < 3; i++) stale &= SystemCall.PageMap(Capability.Self, 0x5000_0000, (ulong)uses[i], 0) == (long)Error.BadHandle;
            Check("every old handle of the retired slot is refused", stale);
            Check("the live one works", SystemCall.PageMap(Capability.Self, 0x5000_0000, (ulong)uses[3], PageFlags.Writable) == 1);

            long kept = SystemCall.EnvCreate();
            long keptId = SystemCall.EnvIdOf((ulong)kept);
            Check("an environment id past 32 bits: " + keptId.ToString("x"), keptId > 0 && (ulong)keptId >> 32 != 0);
            SystemCall.EnvDestroy((ulong)kept);
            const int Most = 4 * Capability.MaxEnvironments;
            long[] ids = new long[Most];
            int made = 0;
            long reuser = 0, last = 0;
            while (made < Most)
            {
                long child = SystemCall.EnvCreate();
                last = child;
                if (child <= 0) break;
                long id = SystemCall.EnvIdOf((ulong)child);
                ids[made++] = id;
                if (reuser == 0 && (id & 0xFFF) == (keptId & 0xFFF))
                {
                    reuser = child;
                    Check("the kept capability's index is used again (id " + id.ToString("x") + ")", id != keptId);
                    Check("the kept capability cannot destroy the reuser", SystemCall.EnvDestroy((ulong)kept) == (long)Error.NoSuchEnv);
                    Check("nor set its status", SystemCall.EnvSetStatus((ulong)kept, EnvStatus.NotRunnable) == (long)Error.NoSuchEnv);
                    EnvRecord row = KernelTables.Environment((ulong)id);
                    Check("the reuser lives on", (row.Status & EnvRecord.Live) != 0);
                }
                SystemCall.EnvDestroy((ulong)child);
                SystemCall.CapDrop((ulong)child);
            }
            Check("once every index is retired EnvCreate says " + last.ToString() + " after " + made.ToString() + " environments",
                  last == (long)Error.TableFull && made >= 2 * (Capability.MaxEnvironments - 1));
            bool distinct = true;
            for (int i = 0; i < made && distinct; i++)
                for (int j = i + 1; j < made; j++)
                    if (ids[i] == ids[j] || ids[j] == keptId) { distinct = false; break; }
            Check("no id was given twice", distinct);
            if (s_failures != 0) return 1;
            System.Console.WriteLine("stalecaps: all refused");
            return 0;
        }
    }
}
