// A seeded random system-call fuzzer: children call random system call numbers with
// arguments drawn from interesting values (zero, small numbers, handles they hold, their
// own mapped and unmapped pages, kernel and non-canonical addresses, all ones). A child may
// well end itself or get killed; the parent starts another. The kernel must never panic.
// The parent prints how many calls ran and how the children ended. With a network card and a
// disk attached (tests/Boot/hostile-fuzz-devices.test) the device calls do real work too.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class Fuzz
    {
        private const int Children = 16;
        private const int CallsPerChild = 1000;
        private const int Patience = 300;     // yields before a child that will not end is destroyed
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
            switch (Next() % 12)
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
                case 10: return s_handles[Next() % HandleCount];
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

        private static void Child(ulong seed)
        {
            s_state = seed;
            ulong* mapped = stackalloc ulong[4];
            for (int i = 0; i < 4; i++)
            {
                mapped[i] = 0x5000_0000 + (ulong)i * 4096;
                Memory.AllocatePage(mapped[i]);
                // Random contents: a pointer argument then names a random structure (an XnChange,
                // a PageMapEntry batch, a program, a ring...), small numbers more often than not.
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
            for (int i = 0; i < CallsPerChild; i++)
            {
                ulong number = Next() % ((ulong)Syscall.CapRevoke + 4);   // every call (CapRevoke is the last) and a few past them
                // Exit and Abort would only end the child early: keep most of them out.
                if ((number == (ulong)Syscall.Exit || number == (ulong)Syscall.Abort) && Next() % 8 != 0) continue;
                // Calls that may block for good would end most children early too: rarely.
                if (MayBlock(number) && Next() % 16 != 0) continue;
                SystemCall.InvokeRaw(number, Argument(mapped), Argument(mapped), Argument(mapped), Argument(mapped), Argument(mapped));
            }
            SystemCall.Exit(0);
        }

        /// <summary>Argument: a seed (default 0x5EED0000), so the same fuzzer can run again differently.</summary>
        public static int Main(string arguments)
        {
            ulong seed = arguments.Length > 0 ? Arguments.Number(arguments) : 0x5EED0000UL;
            int ended = 0, destroyed = 0;
            for (int c = 0; c < Children; c++)
            {
                long child = Process.Fork();
                if (child == 0) Child(seed + (ulong)c);
                if (child < 0) continue;
                ulong id = (ulong)SystemCall.EnvIdOf((ulong)child);
                int waited = 0;
                while ((KernelTables.Environment(id).Status & EnvRecord.Ended) == 0 && KernelTables.Environment(id).Id == id && waited++ < Patience)
                    SystemCall.Yield((ulong)child);
                if (waited > Patience && SystemCall.EnvDestroy((ulong)child) == 0) destroyed++;
                Process.Release((ulong)child);
                ended++;
            }
            System.Console.WriteLine("fuzz: " + ended.ToString() + " children made up to " + (Children * CallsPerChild).ToString() +
                                     " random system calls (" + destroyed.ToString() + " blocked for good and destroyed); the kernel is still standing");
            return 0;
        }
    }
}
