// The kernel's self-check of its memory bookkeeping (KernelCheck, enabled by the test-only
// boot option selfcheck=on): every page mapped in any space maps a frame that space holds a
// capability for, and that is not free; every space's reverse map names exactly its present
// leaf entries; every frame's reference count equals the capabilities that name it plus the
// kernel's own holds. Prints each violation (the first few) and returns how many there were.
// A full walk of every table: never enabled outside tests (it is not bounded work).
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Tests.Kernel
{
    internal static unsafe class Invariants
    {
        private static uint* s_capabilities;     // per frame: capabilities naming it, all tables
        private static uint* s_heldBy;           // per frame: the last environment (index + 1) holding it
        private static Environment s_env;
        private static long s_violations;
        private const int MaxReported = 8;

        /// <summary>Boot time: serve KernelCheck (without selfcheck=on no one serves it: NoSuchCall).</summary>
        public static void Enable() => Subsystems.RegisterCall(Syscall.KernelCheck, &Call);

        private static long Call(Environment env, TrapFrame* frame, Syscall call, ulong info, ulong a1, ulong a2, ulong a3, ulong a4)
        {
            if (info != 0 && !UserMemory.CanAccess(env.Space, info, (ulong)sizeof(KernelCheckInfo), true)) return (long)Error.BadAddress;
            return Check(env, (KernelCheckInfo*)info);
        }

        /// <summary>info: null, or checked writable memory of the caller's.</summary>
        private static long Check(Environment caller, KernelCheckInfo* info)
        {
            ulong frames = FrameTable.Count;
            if (s_capabilities == null)
            {
                s_capabilities = (uint*)NativeMemory.Alloc((nuint)(frames * 4));
                s_heldBy = (uint*)NativeMemory.Alloc((nuint)(frames * 4));
            }
            NativeMemory.Clear(s_capabilities, (nuint)(frames * 4));
            NativeMemory.Clear(s_heldBy, (nuint)(frames * 4));
            s_violations = 0;
            EnvTable.ForEach(&CheckEnvironment, null);
            for (int i = 1; i < Abi.Capability.MaxEnvironments; i++)
            {
                Environment ended = EnvTable.HolderAt(i);
                if (ended != null && ended.Ended) CountFrames(ended);     // its table is still being taken apart
            }
            for (ulong f = 0; f < frames; f++)
            {
                int references = FrameTable.References(f);
                if (references != (int)s_capabilities[f] + FrameTable.KernelHolds(f))
                    Report("frame ", f, " has a count unequal to its capabilities and kernel holds: ", (ulong)references);
                if (references != 0 && Memory.Frames.IsFree(f)) Report("frame ", f, " is referenced but free: ", (ulong)references);
            }
            CheckAccounts(frames);
            ulong longest = KernelStats.TakeLongest(out ulong cause);    // and the check's own walk is not counted
            if (info != null)
            {
                info->Violations = (ulong)s_violations;
                info->FreeFrames = Memory.Frames.FreeCount;
                info->Environments = (ulong)EnvTable.LiveCount;
                info->CallerFrames = (ulong)caller.Capabilities.FrameCount;
                info->KernelHeapBytes = (ulong)global::Internal.Runtime.GlobalHeap.TotalBytes;
                info->LongestInterruptsOff = longest;
                info->LongestCause = cause;
            }
            return s_violations;
        }

        /// <summary>Every account's frames used equal the frames that name it as their payer plus
        /// its open children's limits (the same for slots: its environments plus children's); no
        /// free frame names a payer.</summary>
        private static void CheckAccounts(ulong frames)
        {
            NativeMemory.Clear(s_capabilities, (nuint)(frames * 4));      // reused: frames paid, by account
            for (ulong f = 0; f < frames; f++)
            {
                int payer = Accounts.PayerOf(f);
                if (payer == 0) continue;
                if (Memory.Frames.IsFree(f)) Report("a free frame names a payer: frame ", f, " account ", (ulong)payer);
                if (Accounts.At(payer) == null) Report("a frame names a closed account: frame ", f, " account ", (ulong)payer);
                else s_capabilities[payer]++;
            }
            for (int i = 1; i < Capability.MaxEnvironments; i++)
            {
                Account account = Accounts.At(i);
                if (account == null) continue;
                ulong expected = s_capabilities[i];
                ulong slots = account.Members, timeSlots = 0;
                for (int t = 0; t < Capability.SliceCount; t++)
                    if (Scheduler.PayerOf(t) == account) timeSlots++;
                for (int j = 1; j < Capability.MaxEnvironments; j++)
                {
                    Account child = Accounts.At(j);
                    if (child == null || child.Parent != account) continue;
                    expected += child.FrameLimit;
                    slots += child.EnvLimit;
                    timeSlots += child.SlotLimit;
                }
                if (account.FramesUsed != expected) Report("an account's frames used are not what it pays for: account ", (ulong)i * 0x1_0000_0000 + account.FramesUsed, " expected ", expected);
                if (account.EnvsUsed != slots) Report("an account's slots used are not its environments: account ", (ulong)i * 0x1_0000_0000 + account.EnvsUsed, " expected ", slots);
                if (account.SlotsUsed != timeSlots) Report("an account's time slots used are not what it pays for: account ", (ulong)i * 0x1_0000_0000 + account.SlotsUsed, " expected ", timeSlots);
                if (account != Accounts.Root && account.FramesUsed > account.FrameLimit) Report("an account spent past its limit: account ", (ulong)i, " used ", account.FramesUsed);
            }
        }

        private static void CheckEnvironment(Environment env, Environment unused)
        {
            CountFrames(env);
            s_env = env;
            int present = env.Space.Audit(&CheckMapping);
            if (present != env.Space.MappedPages)
                Report("env ", env.Id, " has a reverse map of a different size than its mappings: ", (ulong)env.Space.MappedPages);
        }

        private static void CountFrames(Environment env)
        {
            for (int i = 1; i < env.Capabilities.Capacity; i++)
            {
                CapabilitySlot* slot = env.Capabilities.SlotAt(i);
                if (slot->Type != CapabilityType.Frame) continue;
                ulong f = slot->Object;
                if (f >= FrameTable.Count) { Report("a capability names frame ", f, " beyond memory in env ", env.Id); continue; }
                s_capabilities[f]++;
                s_heldBy[f] = (uint)env.Index + 1;
            }
        }

        private static void CheckMapping(ulong page, ulong frame)
        {
            if (frame >= FrameTable.Count || s_heldBy[frame] != (uint)s_env.Index + 1)
                Report("a page maps a frame its space holds no capability for: page ", page, " frame ", frame);
            else if (Memory.Frames.IsFree(frame)) Report("a page maps a free frame: page ", page, " frame ", frame);
            if (s_env.Space.Reverse.FrameAt(page) != frame) Report("the reverse map misses page ", page, " of frame ", frame);
        }

        private static void Report(string a, ulong x, string b, ulong y)
        {
            if (s_violations++ >= MaxReported) return;
            Console.Write("kernel: self-check: ");
            Console.Write(a);
            Console.WriteHex(x);
            Console.Write(b);
            Console.WriteHex(y);
            Console.Write('\n');
        }
    }
}
