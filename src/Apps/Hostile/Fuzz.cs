// A seeded random system-call fuzzer: children call random system call numbers with
// arguments drawn from interesting values (zero, small numbers, handles they hold and stale
// ones, frame and environment capabilities, their own mapped and unmapped pages, kernel and
// non-canonical addresses, all ones). A child may well end itself or get killed; the parent
// starts another. Each child counts its calls and their results in a page it shares with the
// parent; after each child (a batch) the parent asks the kernel to check its bookkeeping
// (KernelCheck, when booted with selfcheck=on) and, at the end, that no frame leaked. It
// prints calls made against a minimum, results by error code, how the children ended. With a
// network card and a disk (tests/Boot/hostile-fuzz-devices.test) the device calls do real work.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class Fuzz
    {
        private const int DefaultChildren = 16;
        private const int DefaultCalls = 1000;
        private const int Patience = 300;     // yields before a child that will not end is destroyed
        private const ulong Shared = 0x4F00_0000;
        private const int Codes = 64;         // results: [0] success, [k] error -k, [63] anything else
        private const ulong SharedCalls = 0, SharedDone = 1, SharedResults = 2, SharedLast = SharedResults + Codes;
        private const ulong LeakToleranceFrames = 64;
        private static ulong s_state;
        /// <summary>Handles of every kind the child holds or held: its creator's endpoint, a frame, a
        /// read-only frame, a minted badged endpoint, a dropped (stale) one, the reply slot, and the
        /// same with a wrong generation (Handles, filled in by Child).</summary>
        private static ulong* s_handles;
        private const int HandleCount = 8;

        private static ulong Next()
        {
            s_state = s_state * 6364136223846793005UL + 1442695040888963407UL;
            return s_state >> 11;
        }

        private static ulong Argument(ulong* mapped)
        {
            switch (Next() % 15)
            {
                case 0: return 0;
                case 1: return Next() % 16;
                case 2: return Next() % 0x30000;                    // a handle of ours, perhaps
                case 3: return mapped[Next() % 4] + (Next() % 4096);
                case 4: return 0x5000_0000 + (Next() % 64) * 4096;   // user pages, mapped or not
                case 5: return 0xFFFF_FFFF_8010_0000 + Next() % 0x10000;
                case 6: return 0x8000_0000_0000_0000 | Next();
                case 7: return ulong.MaxValue - Next() % 16;
                case 8: return Next();
                case 9: return UserLayout.PageTables + (Next() % 4096) * 8;
                case 10: return Process.Id;
                case 11:
                case 12:
                case 13: return s_handles[Next() % HandleCount];     // valid, stale and forged ones of every kind
                default: return 1UL << (int)(Next() % 64);
            }
        }

        private static bool MayBlock(ulong number)
        {
            switch ((Syscall)number)
            {
                case Syscall.IpcWait:
                case Syscall.IpcCall:
                case Syscall.IpcReply:
                case Syscall.IpcWaitRegisters:
                case Syscall.IpcCallRegisters:
                case Syscall.IpcReplyRegisters:
                case Syscall.PredicateWait:
                case Syscall.EnvSetStatus:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Calls whose first argument names the environment they change (or end).</summary>
        private static bool ActsOnEnvironment(ulong number)
        {
            switch ((Syscall)number)
            {
                case Syscall.EnvSetStatus:
                case Syscall.EnvSetRegisters:
                case Syscall.EnvDestroy:
                case Syscall.SetExceptionHandler:
                case Syscall.SetSliceHandlers:
                case Syscall.Revoke:
                    return true;
                default:
                    return false;
            }
        }

        private static bool ChangesMappings(ulong number) =>
            number == (ulong)Syscall.PageMapRange || number == (ulong)Syscall.PageMapOne || number == (ulong)Syscall.PageUnmap;

        /// <summary>A child environment made by EnvCreate runs at once in its empty space, faults and
        /// is killed: an unstarted one would outlive a killed fuzzing child (nobody else could end it).</summary>
        private static void Doom(long handle)
        {
            if (handle <= 0) return;
            SystemCall.SliceAlloc((ulong)handle);
            SystemCall.EnvSetStatus((ulong)handle, EnvStatus.Runnable);
        }

        private static void Child(ulong seed, int calls)
        {
            ulong* shared = (ulong*)Shared;
            Ipc.Receive(out _, Shared);             // the parent's counting page, mapped writable
            s_state = seed;
            ulong* mapped = stackalloc ulong[4];
            for (int i = 0; i < 4; i++)
            {
                mapped[i] = 0x5000_0000 + (ulong)i * 4096;
                Memory.AllocatePage(mapped[i]);
                // Random contents: a pointer argument then names a random structure (an XnChange,
                // a page range's handles, a program, a ring...), small numbers more often than not.
                for (int w = 0; w < 512; w++) ((ulong*)mapped[i])[w] = Next() % 4 == 0 ? Next() : Next() % 64;
            }
            ulong* handles = stackalloc ulong[HandleCount];
            s_handles = handles;
            handles[0] = Process.Parent;
            handles[1] = (ulong)SystemCall.FrameAlloc();
            handles[2] = (ulong)SystemCall.CapMint(handles[1], 0);
            handles[3] = (ulong)SystemCall.CapMint(Process.Parent, CapabilityRights.Call, seed);
            handles[4] = (ulong)SystemCall.CapMint(Capability.Self, CapabilityRights.Yield);
            SystemCall.CapDrop(handles[4]);                                 // stale from now on
            handles[5] = (ulong)Capability.ReplySlot;
            handles[6] = handles[1] + (1UL << Capability.HandleIndexBits);   // a generation never given
            handles[7] = (ulong)SystemCall.CapMint(Capability.Self, CapabilityRights.Call | CapabilityRights.Yield, seed + 1);
            for (int i = 0; i < calls; i++)
            {
                ulong number = Next() % ((ulong)Syscall.KernelCheck + 4);   // every call (KernelCheck is the last) and a few past them
                // Exit and Abort would only end the child early: keep most of them out.
                if ((number == (ulong)Syscall.Exit || number == (ulong)Syscall.Abort) && Next() % 64 != 0) continue;
                // Calls that may block for good would end most children early too: rarely.
                if (MayBlock(number) && Next() % 16 != 0) continue;
                if (number == (ulong)Syscall.IpcWaitRegisters && Next() % 8 != 0) continue;    // it always blocks
                ulong a0 = Argument(mapped), a1 = Argument(mapped);
                if (a0 == Capability.Self && ActsOnEnvironment(number) && Next() % 16 != 0)
                    a0 = handles[7];                        // mostly a minted one without Control: a child that wrecks itself makes few calls
                else if (a0 == Capability.Self && ChangesMappings(number) && Next() % 16 != 0)
                    a1 = 0x5000_0000 + (Next() % 64) * 4096;   // its own space: mostly the fuzzing pages, not its code
                shared[SharedLast] = number;
                long r = SystemCall.InvokeRaw(number, a0, a1, Argument(mapped), Argument(mapped), Argument(mapped));
                if (number == (ulong)Syscall.EnvCreate) Doom(r);
                shared[SharedCalls]++;
                shared[SharedResults + (r >= 0 ? 0UL : (ulong)(-r) < Codes - 1 ? (ulong)(-r) : Codes - 1)]++;
            }
            shared[SharedDone] = 1;
            SystemCall.Exit(0);
        }

        /// <summary>Arguments: "seed children calls minimum" (defaults 0x5EED0000, 16, 1000, and a
        /// minimum of a quarter of the calls asked): the same fuzzer again, differently or for longer.</summary>
        public static int Main(string arguments)
        {
            ulong seed = Word(arguments, 0, 0x5EED0000UL);
            int children = (int)Word(arguments, 1, DefaultChildren);
            int calls = (int)Word(arguments, 2, DefaultCalls);
            ulong minimum = Word(arguments, 3, (ulong)children * (ulong)calls / 4);
            if (Memory.AllocatePage(Shared) < 0) return 1;
            ulong* shared = (ulong*)Shared;
            ulong* results = stackalloc ulong[Codes];
            for (int k = 0; k < Codes; k++) results[k] = 0;
            ulong made = 0;
            int finished = 0, exitedEarly = 0, killed = 0, destroyed = 0, checks = 0;
            long violations = 0;
            string blockedIn = "";
            KernelCheckInfo baseline = default, now = default;
            bool checking = SystemCall.KernelCheck(&baseline) >= 0;
            for (int c = 0; c < children; c++)
            {
                for (int w = 0; w < 512; w++) shared[w] = 0;
                long child = Process.Fork();
                if (child == 0) Child(seed + (ulong)c, calls);
                if (child < 0) continue;
                ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
                Ipc.Send((ulong)child, 0, Shared, PageFlags.Writable);
                int waited = 0;
                while ((KernelTables.Environment(id).Status & EnvRecord.Ended) == 0 && KernelTables.Environment(id).Id == id && waited++ < Patience)
                    SystemCall.Yield((ulong)child);
                EnvRecord record = KernelTables.Environment(id);
                if (waited > Patience && SystemCall.EnvDestroy((ulong)child) == 0)
                {
                    destroyed++;
                    blockedIn += " " + shared[SharedLast].ToString();
                }
                else if (shared[SharedDone] != 0) finished++;
                else if (record.Id == id && (record.Status & EnvRecord.Ended) != 0 && record.ExitStatus == 126) killed++;
                else exitedEarly++;
                Process.Release((ulong)child);
                made += shared[SharedCalls];
                for (int k = 0; k < Codes; k++) results[k] += shared[SharedResults + (ulong)k];
                if (checking)
                {
                    long v = SystemCall.KernelCheck(&now);
                    checks++;
                    if (v != 0) violations += v < 0 ? 1 : v;
                    if (c == 0) baseline = now;                 // after the first batch: the parent's heap has grown
                }
            }
            System.Console.WriteLine("fuzz: " + children.ToString() + " children asked for " + ((ulong)children * (ulong)calls).ToString() +
                                     " calls and made " + made.ToString() + " (at least " + minimum.ToString() + ": " + (made >= minimum ? "ok" : "TOO FEW") + ")");
            string line = "fuzz: results by code: ok " + results[0].ToString();
            for (int k = 1; k < Codes; k++)
                if (results[k] != 0) line += ", " + (k == Codes - 1 ? "other" : Executive.ExecutiveText.Result(-k)) + " " + results[k].ToString();
            System.Console.WriteLine(line);
            System.Console.WriteLine("fuzz: children: " + finished.ToString() + " finished, " + exitedEarly.ToString() + " ended themselves, " +
                                     killed.ToString() + " killed, " + destroyed.ToString() + " blocked for good and destroyed" +
                                     (destroyed > 0 ? " (in calls" + blockedIn + ")" : ""));
            bool leaked = false;
            if (checking)
            {
                // Free frames, ours and the kernel heap's come back to what they were after the first batch.
                ulong before = baseline.FreeFrames + baseline.CallerFrames + baseline.KernelHeapBytes / 4096;
                ulong after = now.FreeFrames + now.CallerFrames + now.KernelHeapBytes / 4096;
                leaked = after + LeakToleranceFrames < before;
                System.Console.WriteLine("fuzz: kernel self-check after " + checks.ToString() + " batches: " + violations.ToString() + " violations; frames free, ours or the kernel heap's " +
                                         before.ToString() + " after the first batch, " + after.ToString() + " at the end (" + (leaked ? "LEAK" : "no leak") +
                                         "); environments " + now.Environments.ToString());
            }
            bool ok = made >= minimum && violations == 0 && !leaked;
            System.Console.WriteLine("fuzz: " + (ok ? "the kernel is still standing" : "FAILED"));
            return ok ? 0 : 1;
        }

        /// <summary>The index-th space-separated decimal number of text, or fallback when absent.</summary>
        private static ulong Word(string text, int index, ulong fallback)
        {
            int at = 0;
            for (int i = 0; i < index; i++)
            {
                while (at < text.Length && text[at] != ' ') at++;
                while (at < text.Length && text[at] == ' ') at++;
            }
            if (at >= text.Length || text[at] < '0' || text[at] > '9') return fallback;
            return Arguments.Number(text.Substring(at));
        }
    }
}
