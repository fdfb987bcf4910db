// Accounting: a program with an account of its own cannot be denied memory by a hog. The
// program (the machine's account) runs the test in a child with an account of 20,000 frames (so
// the kernel's own growth, which the machine's account pays, stays out of the figures); that
// parent gives a victim child an account of 3000 frames and 3 slots,
// then a hog an account of all the frames the parent has left but 400 (sharing the parent's
// account would starve the parent too: its own copy-on-write faults), and the hog takes every
// frame it can, refused at its limit; the victim then
// allocates all of its 3000 frames, cannot open a grandchild account bigger than what it has
// left or create more children than its slots, and when it ends the parent gets its limits
// back. Each line prints what was checked and the value seen.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class Budget
    {
        private const ulong VictimFrames = 3000, VictimEnvs = 3, VictimSlots = 3, ParentFrames = 20000, ParentEnvs = 8, ParentSlots = 16;
        private const int MaxHeld = 40000;
        private const ulong ParentKeeps = 400;
        private static int s_failures;

        private static void Check(string what, long value, bool ok)
        {
            if (!ok) s_failures++;
            System.Console.WriteLine("budget: " + what + ": " + value.ToString() + (ok ? " ok" : " WRONG"));
        }

        private static AccountInfo Info()
        {
            AccountInfo info;
            SystemCall.AccountInfo(&info);
            return info;
        }

        public static int Main(string arguments)
        {
            AccountInfo machine = Info();
            Check("the program's account is the machine's, frame limit", (long)machine.FrameLimit, machine.IsMachine == 1 && machine.FrameLimit > ParentFrames);
            Process.GiveNextChild(ParentFrames, ParentEnvs, ParentSlots);
            long parent = Process.Fork();
            if (parent == 0) return Parent();
            if (parent < 0)
            {
                Check("fork with an account of " + ParentFrames.ToString() + " frames", parent, false);
                return 1;
            }
            long status = Process.Wait((ulong)parent);
            Check("the test's exit status", status, status == 0);
            SelfCheck("at the end");
            return s_failures == 0 ? 0 : 1;
        }

        /// <summary>The kernel's bookkeeping check (selfcheck=on), accounts included.</summary>
        private static void SelfCheck(string when)
        {
            KernelCheckInfo info;
            long violations = SystemCall.KernelCheck(&info);
            Check("self-check " + when + ", violations", violations, violations == 0);
        }

        private static int Parent()
        {
            AccountInfo start = Info();
            Check("parent's own account, frame limit", (long)start.FrameLimit, start.IsMachine == 0 && start.FrameLimit == ParentFrames);
            // The slot it runs in was given, and is paid, by its creator.
            Check("parent's own account, time slots used of " + ParentSlots.ToString(), (long)start.TimeSlotsUsed,
                  start.TimeSlotLimit == ParentSlots && start.TimeSlotsUsed == 0);
            long r = SystemCall.Invoke(Syscall.AccountInfo, 0xFFFF_8000_0000_0000UL);
            Check("AccountInfo into kernel memory (BadAddress)", r, r == (long)Error.BadAddress);
            var limits = new AccountLimits { Frames = 10, Envs = 0, TimeSlots = 1 };
            r = SystemCall.EnvCreate(&limits);
            Check("EnvCreate with frames but no slot (BadArgument)", r, r == (long)Error.BadArgument);
            r = SystemCall.EnvCreate((AccountLimits*)0xFFFF_8000_0000_0000UL);
            Check("EnvCreate with its limits in kernel memory (BadAddress)", r, r == (long)Error.BadAddress);
            limits = new AccountLimits { Frames = start.FrameLimit + 1, Envs = 1, TimeSlots = 1 };
            r = SystemCall.EnvCreate(&limits);
            Check("EnvCreate with more frames than the account has (OverBudget)", r, r == (long)Error.OverBudget);
            limits = new AccountLimits { Frames = 10, Envs = 1, TimeSlots = start.TimeSlotLimit + 1 };
            r = SystemCall.EnvCreate(&limits);
            Check("EnvCreate with more time slots than the account has (OverBudget)", r, r == (long)Error.OverBudget);

            // The victim waits until the hog is done, then spends its account.
            Process.GiveNextChild(VictimFrames, VictimEnvs, VictimSlots);
            long victim = Process.Fork();
            if (victim == 0) return Victim();
            AccountInfo withVictim = Info();
            Check("parent's frames used grew by the victim's limit", (long)(withVictim.FramesUsed - start.FramesUsed),
                  withVictim.FramesUsed - start.FramesUsed >= VictimFrames);

            AccountInfo beforeHog = Info();
            ulong hogFrames = beforeHog.FrameLimit - beforeHog.FramesUsed - ParentKeeps;
            Process.GiveNextChild(hogFrames, 1);
            long hog = Process.Fork();
            if (hog == 0)
            {
                long* held = (long*)System.Runtime.InteropServices.NativeMemory.Alloc(MaxHeld * 8);
                int count = 0;
                long frame = 0;
                while (count < MaxHeld && (frame = SystemCall.FrameAlloc()) > 0) held[count++] = frame;
                for (int i = 1; i <= 64 && i <= count; i++) SystemCall.FrameFree((ulong)held[count - i]);   // room for its own stack and heap
                Ipc.Send(Process.Parent, (ulong)count);
                Ipc.Send(Process.Parent, (ulong)-frame);
                while (true) SystemCall.Yield();          // keeps every frame it took
            }
            ulong taken = Ipc.Receive(out _);
            long refusal = -(long)Ipc.Receive(out _);
            Check("the hog's frames (of its " + hogFrames.ToString() + "), then " + Executive.ExecutiveText.Result(refusal), (long)taken,
                  refusal == (long)Error.OverBudget && taken + (taken + 63) / 64 + 512 >= hogFrames && taken <= hogFrames);
            Ipc.Send((ulong)victim, 1);                   // go
            ulong got = Ipc.Receive(out _);
            ulong unspent = Ipc.Receive(out _);
            // Its capability table grows a 64-slot chunk (a frame) per 64 capabilities, paid from the same account.
            Check("victim allocated, of the " + unspent.ToString() + " frames its account had left", (long)got, got + (got + 63) / 64 + 2 >= unspent && got <= unspent);
            SelfCheck("with the hog holding its frames");
            SystemCall.EnvDestroy((ulong)hog);
            ulong status = Ipc.Receive(out _);
            Check("victim's checks failed", (long)status, status == 0);
            Process.Wait((ulong)victim);
            for (int i = 0; i < 1000 && Info().FramesUsed > start.FramesUsed + 64; i++) SystemCall.Yield();   // ended tables go over ticks
            AccountInfo end = Info();
            Check("parent's frames used back to the start (difference)", (long)end.FramesUsed - (long)start.FramesUsed,
                  end.FramesUsed <= start.FramesUsed + 8);
            return s_failures == 0 ? 0 : 1;
        }

        private static int Victim()
        {
            Ipc.Receive(out _);                           // the hog has taken everything it could
            AccountInfo mine = Info();
            int failures = 0;
            if (mine.IsMachine != 0 || mine.FrameLimit != VictimFrames || mine.EnvLimit != VictimEnvs) failures++;
            long* held = (long*)System.Runtime.InteropServices.NativeMemory.Alloc((int)VictimFrames * 8);
            for (int i = 0; i < (int)VictimFrames; i += 512) held[i] = 0;      // the array's own pages first
            ulong unspent = mine.FrameLimit - Info().FramesUsed;
            int count = 0;
            long r = 0;
            while (count < (int)VictimFrames && (r = SystemCall.FrameAlloc()) > 0) held[count++] = r;
            // Nothing that may allocate (a string, a stack page) until the frames are back.
            for (int i = 0; i < count; i++) SystemCall.FrameFree((ulong)held[i]);
            System.Console.WriteLine("budget: victim: " + count.ToString() + " frames, then " + Executive.ExecutiveText.Result(r) +
                                     " (limit " + mine.FrameLimit.ToString() + ")");
            if (r != (long)Error.OverBudget) failures++;
            var bigLimits = new AccountLimits { Frames = VictimFrames, Envs = 1, TimeSlots = 0 };
            long big = SystemCall.EnvCreate(&bigLimits);
            System.Console.WriteLine("budget: victim: a grandchild account as big as its own: " + Executive.ExecutiveText.Result(big));
            if (big != (long)Error.OverBudget) failures++;
            long made = 0, last = 0;
            for (int i = 0; i < 4; i++)
            {
                last = SystemCall.EnvCreate();
                if (last == 0) SystemCall.Exit(0);        // never runs: no slot
                if (last > 0) made++;
                else break;
            }
            System.Console.WriteLine("budget: victim: children sharing its " + VictimEnvs.ToString() + " slots: " + made.ToString() +
                                     " made, then " + Executive.ExecutiveText.Result(last));
            if (made != (long)VictimEnvs - 1 || last != (long)Error.OverBudget) failures++;
            long slots = 0, slot = 0;
            for (int i = 0; i < 8; i++)
            {
                slot = SystemCall.SliceAlloc(Capability.Self);
                if (slot < 0) break;
                slots++;
            }
            System.Console.WriteLine("budget: victim: time slots it took, of its account's " + VictimSlots.ToString() + ": " +
                                     slots.ToString() + ", then " + Executive.ExecutiveText.Result(slot));
            if (slots != (long)VictimSlots || slot != (long)Error.OverBudget) failures++;
            Ipc.Send(Process.Parent, (ulong)count);
            Ipc.Send(Process.Parent, unspent);
            Ipc.Send(Process.Parent, (ulong)failures);
            return failures;
        }
    }
}
