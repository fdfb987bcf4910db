// Attacks on the executive's system calls: bad pointers (null, kernel, unmapped, read-only,
// straddling the end of user space), huge and negative lengths, hostile programs (loops, loads
// out of range, too long, emit or context loads where not allowed), removing what is not yours,
// and predicates naming words it may not read. Every call must return the documented error (or,
// for loads the verifier leaves to run time, run and claim nothing); the kernel never faults.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class BadPrograms
    {
        private const ulong ReadOnlyPage = 0x5300_0000;
        private const ulong Unmapped = 0x5400_0000;
        private const ulong Kernel = 0xFFFF_FFFF_8010_0000;
        private static int s_failures;

        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);

        private static void Expect(string what, long result, long expected)
        {
            bool ok = result == expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("badprograms: " + what + " -> " + ExecutiveText.Result(result) + (ok ? " ok" : " WRONG, expected " + ExecutiveText.Result(expected)));
        }

        /// <summary>Expects ProgramRefused with that rule at that instruction.</summary>
        private static void Refused(string what, long result, in ProgramReport report, ProgramRule rule, int index)
        {
            bool ok = result == (long)Error.ProgramRefused && report.Rule == (uint)rule && report.Index == index;
            if (!ok) s_failures++;
            System.Console.WriteLine("badprograms: " + what + " -> " + ExecutiveText.Result(result) + ", " + ExecutiveText.Refusal(report) + (ok ? " ok" : " WRONG"));
        }

        public static int Main(string arguments)
        {
            Memory.AllocatePage(ReadOnlyPage, 0);
            ProgramInstruction[] accept = { I(0x06, 0, 0, 1) };
            ProgramReport report;
            fixed (ProgramInstruction* ok = accept)
            {
                ulong count = 1;
                Expect("install from a null pointer", SystemCall.FilterInstall(null, 5), (long)Error.BadAddress);
                Expect("install from kernel memory", SystemCall.FilterInstall((ProgramInstruction*)Kernel, 5), (long)Error.BadAddress);
                Expect("install from unmapped memory", SystemCall.FilterInstall((ProgramInstruction*)Unmapped, 5), (long)Error.BadAddress);
                Expect("install straddling the end of user space", SystemCall.FilterInstall((ProgramInstruction*)(UserLayout.End - 8), 2), (long)Error.BadAddress);
                Expect("install 2^40 instructions", SystemCall.FilterInstall(ok, 1L << 40), (long)Error.BadLength);
                Expect("install -1 instructions", SystemCall.FilterInstall(ok, -1), (long)Error.BadLength);
                Expect("install 4097 instructions", SystemCall.FilterInstall(ok, ExecutiveLimits.MaxProgram + 1), (long)Error.BadLength);
                Expect("install 513 instructions", SystemCall.FilterInstall(ok, ExecutiveLimits.MaxFilterProgram + 1), (long)Error.BadLength);
                Expect("install with the report in read-only memory", SystemCall.FilterInstall(ok, 1, (ProgramReport*)ReadOnlyPage), (long)Error.BadAddress);
                Expect("install with the report in kernel memory", SystemCall.FilterInstall(ok, 1, (ProgramReport*)Kernel), (long)Error.BadAddress);
                Expect("remove filter 0", SystemCall.FilterRemove(0), (long)Error.BadHandle);
                Expect("remove filter -1", SystemCall.FilterRemove(-1), (long)Error.BadHandle);
                Expect("classify from a null pointer", SystemCall.FilterClassify(null, 60), (long)Error.BadAddress);
                Expect("classify 65536 bytes", SystemCall.FilterClassify((byte*)ok, ExecutiveLimits.MaxPacket + 1), (long)Error.BadLength);
                Expect("classify with the match in read-only memory", SystemCall.FilterClassify((byte*)ok, 8, (FilterMatch*)ReadOnlyPage), (long)Error.BadAddress);
                Expect("classify an empty packet", SystemCall.FilterClassify((byte*)ok, 0), 0);

                ulong word = 0;
                ulong* words = stackalloc ulong[9];
                for (int i = 0; i < 9; i++) words[i] = (ulong)&word;
                Expect("wait on 9 words", SystemCall.PredicateWait(ok, 1, words, 9), (long)Error.BadLength);
                Expect("wait with the word list at a null pointer", SystemCall.PredicateWait(ok, 1, null, 1), (long)Error.BadAddress);
                words[0] = (ulong)&word + 1;
                Expect("wait on an unaligned word", SystemCall.PredicateWait(ok, 1, words, 1), (long)Error.BadArgument);
                words[0] = Kernel;
                Expect("wait on a kernel word", SystemCall.PredicateWait(ok, 1, words, 1), (long)Error.BadAddress);
                words[0] = Unmapped;
                Expect("wait on an unmapped word", SystemCall.PredicateWait(ok, 1, words, 1), (long)Error.BadAddress);
                words[0] = UserLayout.EnvTable;
                Expect("wait on a word of the environment table window", SystemCall.PredicateWait(ok, 1, words, 1), (long)Error.BadAddress);
                words[0] = (ulong)&word;
                Expect("wait on a predicate that is already true", SystemCall.PredicateWait(ok, 1, words, 1), 1);
                count = 0;
                Expect("wait on an empty predicate", SystemCall.PredicateWait(ok, (long)count, words, 1), (long)Error.ProgramRefused);
            }

            // Hostile programs: each refused with its rule and instruction.
            var backward = new[] { I(0x28, 0, 0, 12), I(0x15, 0, 1, 0x800), I(0x05, 0, 0, 0xFFFFFFFD), I(0x06, 0, 0, 0) };
            fixed (ProgramInstruction* p = backward) Refused("filter with a backward jump", SystemCall.FilterInstall(p, backward.Length, &report), report, ProgramRule.JumpOutOfRange, 2);
            var emit = new[] { I(0x57, 0, 0, 1), I(0x06, 0, 0, 1) };
            fixed (ProgramInstruction* p = emit) Refused("filter that emits", SystemCall.FilterInstall(p, emit.Length, &report), report, ProgramRule.EmitNotAllowed, 0);
            var context = new[] { I(0xc0, 0, 0, 0), I(0x16, 0, 0, 0) };
            fixed (ProgramInstruction* p = context) Refused("filter that loads context", SystemCall.FilterInstall(p, context.Length, &report), report, ProgramRule.ContextOutOfRange, 0);
            var shift = new[] { I(0x28, 0, 0, 12), I(0x64, 0, 0, 32), I(0x16, 0, 0, 0) };
            fixed (ProgramInstruction* p = shift) Refused("filter shifting by 32", SystemCall.FilterInstall(p, shift.Length, &report), report, ProgramRule.ShiftTooLarge, 1);
            var scratch = new[] { I(0x02, 0, 0, 16), I(0x06, 0, 0, 0) };
            fixed (ProgramInstruction* p = scratch) Refused("filter storing to scratch word 16", SystemCall.FilterInstall(p, scratch.Length, &report), report, ProgramRule.ScratchIndexOutOfRange, 0);
            var longFilter = new ProgramInstruction[ExecutiveLimits.MaxFilterProgram];
            for (int i = 0; i < longFilter.Length; i++) longFilter[i] = I(0x00, 0, 0, 1);     // ld #1 ... and no ret
            fixed (ProgramInstruction* p = longFilter) Refused("filter of 512 loads, no return", SystemCall.FilterInstall(p, longFilter.Length, &report), report, ProgramRule.FallsOffEnd, ExecutiveLimits.MaxFilterProgram - 1);
            var longPredicate = new ProgramInstruction[ExecutiveLimits.MaxPredicate + 1];
            for (int i = 0; i < longPredicate.Length; i++) longPredicate[i] = I(0x06, 0, 0, 1);
            ulong target = 0;
            ulong address = (ulong)&target;
            fixed (ProgramInstruction* p = longPredicate) Refused("predicate of 257 instructions", SystemCall.PredicateWait(p, longPredicate.Length, &address, 1, &report), report, ProgramRule.TooLong, -1);
            var pastWords = new[] { I(0xc0, 0, 0, 8), I(0x16, 0, 0, 0) };                          // one word + ticks = 8 bytes
            fixed (ProgramInstruction* p = pastWords) Refused("predicate reading past its words and ticks", SystemCall.PredicateWait(p, pastWords.Length, &address, 1, &report), report, ProgramRule.ContextOutOfRange, 0);
            var emitting = new[] { I(0x57, 0, 0, 1), I(0x06, 0, 0, 1) };
            fixed (ProgramInstruction* p = emitting) Refused("predicate that emits", SystemCall.PredicateWait(p, emitting.Length, &address, 1, &report), report, ProgramRule.EmitNotAllowed, 0);

            // Loads the verifier leaves to run time: accepted, and they claim nothing out of range.
            var far = new[] { I(0x20, 0, 0, 100000), I(0x16, 0, 0, 0) };                          // ld [100000]; ret a
            var wrap = new[] { I(0x01, 0, 0, 0xFFFFFFF0), I(0x40, 0, 0, 0x20), I(0x16, 0, 0, 0) };  // ldx #-16; ld [x + 32]; ret a
            long farId, wrapId;
            fixed (ProgramInstruction* p = far) farId = SystemCall.FilterInstall(p, far.Length);
            fixed (ProgramInstruction* p = wrap) wrapId = SystemCall.FilterInstall(p, wrap.Length);
            System.Console.WriteLine("badprograms: filters loading [100000] and [x + 32] with x = 2^32 - 16: installed as " + farId.ToString() + " and " + wrapId.ToString());
            Packet packet = SamplePackets.All[0];
            fixed (byte* bytes = packet.Bytes) Expect("classify a 71-byte packet with them", SystemCall.FilterClassify(bytes, packet.Bytes.Length), 0);

            System.Console.WriteLine(s_failures == 0 ? "badprograms: all refused" : "badprograms: " + s_failures.ToString() + " WRONG");
            return s_failures == 0 ? 0 : 1;
        }
    }
}
