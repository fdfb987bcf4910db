// A receive ring in this environment's memory (Abi.PacketRing): frames the kernel's
// demultiplexer gave to this environment's filters, read in order. Wait blocks on the next
// slot's Length word with a wakeup predicate, so a waiting environment costs no processor time.
// Use: Next (or Wait) gives a frame to read in place; Done hands its slot back.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public sealed unsafe class ReceiveRing : PacketRings
    {
        /// <summary>Wait's answer when the timeout passed before a frame came.</summary>
        public const long TimedOut = 0xFFFF_FFFF;

        private ReceiveRing(ulong address, uint slots) : base(address, slots) { }

        /// <summary>Maps fresh pages at address (page aligned, unmapped) for slots slots and
        /// attaches them as this environment's receive ring; null with the error if that fails.</summary>
        public static ReceiveRing Attach(ulong address, uint slots, out long error)
        {
            error = MapAndAttach(PacketRing.Receive, address, slots);
            return error < 0 ? null : new ReceiveRing(address, slots);
        }

        /// <summary>The next frame, if one has come: its bytes (valid until Done) and header.</summary>
        public bool Next(out byte* frame, out PacketSlot header)
        {
            header = *Slot;
            header.Length = System.Threading.Volatile.Read(ref Slot->Length);
            frame = (byte*)Slot + PacketRing.HeaderSize;
            return header.Length != 0;
        }

        /// <summary>Hands the current slot back to the kernel and moves on.</summary>
        public void Done()
        {
            System.Threading.Volatile.Write(ref Slot->Length, 0);
            Advance();
        }

        /// <summary>Blocks until the next slot holds a frame (returns its length) or, with
        /// timeoutTicks non-zero, until that many timer ticks pass (returns TimedOut).</summary>
        public long Wait(uint timeoutTicks = 0)
        {
            ulong word = (ulong)&Slot->Length;
            if (timeoutTicks == 0)
                fixed (ProgramInstruction* p = s_untilFull) return SystemCall.PredicateWait(p, s_untilFull.Length, &word, 1);
            ProgramInstruction* program = stackalloc ProgramInstruction[7];     // no allocation per wait
            UntilFullOr(program, timeoutTicks);
            return SystemCall.PredicateWait(program, 7, &word, 1);
        }

        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        // ctx[0]: the slot's Length; ctx[4]: ticks since the wait began.
        private static readonly ProgramInstruction[] s_untilFull =
        {
            I(0xc0, 0, 0, 0),           // ld ctx[0]
            I(0x15, 0, 1, 0),           // jeq #0
            I(0x06, 0, 0, 0),           // ret #0          still empty
            I(0x16, 0, 0, 0),           // ret a           the length
        };

        private static void UntilFullOr(ProgramInstruction* p, uint ticks)
        {
            p[0] = I(0xc0, 0, 0, 0);           // ld ctx[0]
            p[1] = I(0x15, 0, 4, 0);           // jeq #0          else -> ret a
            p[2] = I(0xc0, 0, 0, 4);           // ld ctx[4]
            p[3] = I(0x35, 0, 1, ticks);       // jge #ticks
            p[4] = I(0x06, 0, 0, (uint)TimedOut);
            p[5] = I(0x06, 0, 0, 0);
            p[6] = I(0x16, 0, 0, 0);           // ret a           the length
        }
    }
}
