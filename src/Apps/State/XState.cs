// The interrupted code's whole register state survives every kind of upcall, thread switches
// and other environments: xstate.asm loads a pattern into every vector register, st0 and
// MXCSR, lets the event happen (handlers clobber them all), stores them back; this compares.
// Modes (the argument) are listed in Main; each prints what it checked, status 0 if all held.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.State
{
    internal static unsafe class XState
    {
        private const int RecordSize = 528;        // 16 x 32 bytes, st0 as an integer, MXCSR
        private const ulong FaultAddress = 0x5600_0000;
        private const int ModeFault = 0, ModeWatch = 1, ModeOther = 2, ModeYield = 3, ModeUd2 = 4;

        [RuntimeImport("xstate_avx")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Avx();
        [RuntimeImport("xstate_run")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Run(byte* load, byte* store, ulong mode, ulong argument, ulong avx, ulong* arm);
        [RuntimeImport("xstate_syscall")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void CallProbe(byte* load, byte* store, ulong avx, ulong number, ulong argument, ulong* words);
        [RuntimeImport("xstate_clobber")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Clobber(ulong avx);
        [RuntimeImport("xstate_clobber_sse")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void ClobberSse();
        [RuntimeImport("xstate_store")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Store(byte* record, ulong avx);
        [RuntimeImport("xstate_load")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Load(byte* record, ulong avx);
        [RuntimeImport("xstate_set_tf")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void SetTrapFlag();
        [RuntimeImport("xstate_xrstor")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong Xrstor(byte* area);
        [RuntimeImport("xstate_xsave")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Xsave(byte* area);
        [RuntimeImport("xstate_xrstor_instruction")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void XrstorInstruction();
        [RuntimeImport("xstate_xrstor_refused")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void XrstorRefused();
        [RuntimeImport("exo_exception_entry_resume")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void EntryResume();
        [RuntimeImport("exo_exception_entry_iretq")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void EntryIretq();
        [RuntimeImport("exo_exception_entry_fx_resume")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void EntryFxResume();
        [RuntimeImport("exo_exception_entry_fx_iretq")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void EntryFxIretq();

        private static ulong s_avx;
        private static ulong* s_words;             // words the handlers and threads change
        private static volatile int s_upcalls, s_secondDone;
        private static bool s_secondOk;
        private static ulong s_traceLow, s_traceHigh, s_traceOther;
        private static ulong* s_traceSeen;
        private static int s_traceSeenCount, s_traceHits;
        private static bool s_tracing;
        private static long s_spareFrame;

        private static string Registers => s_avx != 0 ? "ymm0-15" : "xmm0-15";

        private static void Fill(byte* record, int seed)
        {
            for (int i = 0; i < 512; i++) record[i] = (byte)(seed * 37 + i * 11 + (i >> 5));
            *(long*)(record + 512) = seed * 1000003L + 7;
            *(uint*)(record + 520) = seed % 2 == 0 ? 0x7F80u : 0x3F80u;   // rounding toward zero / down
        }

        /// <summary>Compares what came back with what was loaded; prints the first difference.</summary>
        private static bool Same(byte* expected, byte* actual, string what)
        {
            int width = s_avx != 0 ? 32 : 16;
            for (int r = 0; r < 16; r++)
                for (int j = 0; j < width; j++)
                    if (expected[r * 32 + j] != actual[r * 32 + j])
                    {
                        System.Console.WriteLine("xstate: " + what + ": " + (width == 32 ? "ymm" : "xmm") + r.ToString() + " byte " + j.ToString() +
                                                 " was 0x" + ((ulong)expected[r * 32 + j]).ToString("x") + ", is 0x" + ((ulong)actual[r * 32 + j]).ToString("x") + " MISMATCH");
                        return false;
                    }
            if (*(long*)(expected + 512) != *(long*)(actual + 512))
            {
                System.Console.WriteLine("xstate: " + what + ": st0 was " + (*(long*)(expected + 512)).ToString() + ", is " + (*(long*)(actual + 512)).ToString() + " MISMATCH");
                return false;
            }
            if ((*(uint*)(expected + 520) & 0xFFC0) != (*(uint*)(actual + 520) & 0xFFC0))
            {
                System.Console.WriteLine("xstate: " + what + ": MXCSR was 0x" + (*(uint*)(expected + 520)).ToString("x") + ", is 0x" + (*(uint*)(actual + 520)).ToString("x") + " MISMATCH");
                return false;
            }
            return true;
        }

        private static string Checked(byte* record) =>
            Registers + " (" + (s_avx != 0 ? "512" : "256") + " bytes), st0 = " + (*(long*)(record + 512)).ToString() + ", MXCSR = 0x" + (*(uint*)(record + 520)).ToString("x");

        /// <summary>Loads seed's pattern, lets the event happen, checks.</summary>
        private static bool Round(int seed, int mode, ulong argument, string what, bool quiet = false, ulong* arm = null)
        {
            byte* load = stackalloc byte[RecordSize];
            byte* store = stackalloc byte[RecordSize];
            Fill(load, seed);
            if (Run(load, store, (ulong)mode, argument, s_avx, arm) != 0)
            {
                System.Console.WriteLine("xstate: " + what + ": the event never came MISMATCH");
                return false;
            }
            bool ok = Same(load, store, what);
            if (ok && !quiet) System.Console.WriteLine("xstate: " + what + ": " + Checked(load) + " intact, checked by the interrupted code");
            return ok;
        }

        private static bool s_likeCompiledCode;

        /// <summary>A handler that uses x87 or AVX itself asks for the whole area first (ExOS's
        /// entry saved only the SSE component); one that changes only what compiled C# may
        /// (xmm0-15, MXCSR) need not.</summary>
        private static void ClobberAll(ExceptionFrame* frame)
        {
            if (s_likeCompiledCode)
            {
                ClobberSse();
                return;
            }
            ExtendedState.Of(frame);
            Clobber(s_avx);
        }

        private static void FaultHandler(ExceptionFrame* frame)
        {
            ClobberAll(frame);
            if (frame->Vector != 14 || (frame->FaultAddress != FaultAddress && frame->FaultAddress != FaultAddress + 4096))
            {
                System.Console.WriteLine("xstate: unexpected exception " + frame->Vector.ToString() + " at rip 0x" + frame->Registers.Rip.ToString("x"));
                SystemCall.Exit(1);
            }
            Memory.AllocatePage(frame->FaultAddress);
            s_upcalls++;
        }

        private static void SliceHandler(ExceptionFrame* frame)
        {
            ClobberAll(frame);
            if (frame->Vector == UpcallVector.SliceEnd)
            {
                s_words[0]++;
                s_upcalls++;
                SystemCall.Yield();     // the prologue comes as an upcall nested here, then back
                Clobber(s_avx);
                return;
            }
            if (frame->Vector == UpcallVector.SliceStart) return;
            FaultHandler(frame);
        }

        /// <summary>ExOS completes the area before a revocation handler runs: it may use any register.</summary>
        private static void GiveBack(ulong frames)
        {
            Clobber(s_avx);
            SystemCall.FrameFree((ulong)s_spareFrame);
            s_words[1]++;
            s_upcalls++;
        }

        /// <summary>A page fault in a thread: served slowly (about a tick), so that slice ends
        /// land inside the handler, on the exception stack all threads share.</summary>
        private static void ThreadFault(ExceptionFrame* frame)
        {
            ExtendedState.Of(frame);
            Clobber(s_avx);
            if (frame->Vector != 14)
            {
                System.Console.WriteLine("xstate: unexpected exception " + frame->Vector.ToString() + " at rip 0x" + frame->Registers.Rip.ToString("x"));
                SystemCall.Exit(1);
            }
            Memory.AllocatePage(frame->FaultAddress & ~4095UL);
            ulong ticks = Clock.Ticks;
            while (Clock.Ticks < ticks + 1) Clobber(s_avx);
            s_upcalls++;
        }

        private static void WaitTick()
        {
            ulong ticks = Clock.Ticks;
            while (Clock.Ticks < ticks + 1) Clobber(s_avx);      // a call: the tick is read again each round
        }

        private static void FaultingThread()
        {
            bool ok = true;
            for (int i = 0; i < 10 && ok; i++)
            {
                ok = Round(300 + i, ModeFault, FaultAddress + 0x10_0000 + (ulong)i * 4096, "thread 2 fault " + i.ToString(), true);
                WaitTick();             // a slice end outside the handler too: a switch
            }
            s_secondOk = ok;
            s_secondDone = 1;
        }

        private static void Second()
        {
            bool ok = true;
            for (int i = 0; i < 4 && ok; i++) ok = Round(100 + i, ModeOther, (ulong)(s_words + 3), "thread 2 round " + i.ToString(), true);
            s_secondOk = ok;
            s_secondDone = 1;
        }

        private static void TraceHandler(ExceptionFrame* frame)
        {
            if (frame->Vector == 1)
            {
                ulong rip = frame->Registers.Rip;
                if (rip >= s_traceLow && rip <= s_traceHigh)
                {
                    s_traceHits++;
                    bool seen = false;
                    for (int i = 0; i < s_traceSeenCount; i++) seen |= s_traceSeen[i] == rip;
                    if (!seen && s_traceSeenCount < 64) s_traceSeen[s_traceSeenCount++] = rip;
                }
                else s_traceOther++;
                if (s_traceHits > 1000) frame->Registers.Rflags &= ~0x100UL;    // a loop: stop it
                return;
            }
            if (frame->Vector == 6 && !s_tracing)
            {
                ExtendedState.Of(frame);
                Clobber(s_avx);
                frame->Registers.Rip += 2;
                s_tracing = true;
                s_upcalls++;
                SetTrapFlag();          // from here to the iretq, every instruction traps
                return;
            }
            System.Console.WriteLine("xstate: unexpected exception " + frame->Vector.ToString() + " at rip 0x" + frame->Registers.Rip.ToString("x"));
            SystemCall.Exit(1);
        }

        private static int Trace()
        {
            bool xsave = ExtendedState.Mask != 0;
            s_traceLow = xsave ? (ulong)(delegate*<void>)&EntryResume : (ulong)(delegate*<void>)&EntryFxResume;
            s_traceHigh = xsave ? (ulong)(delegate*<void>)&EntryIretq : (ulong)(delegate*<void>)&EntryFxIretq;
            s_traceSeen = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(64 * 8);
            Exceptions.SetHandler(&TraceHandler);
            bool ok = Round(7, ModeUd2, 0, "ud2 handled with the resume path single-stepped");
            int expected = xsave ? 25 : 24;    // start.asm's ENTRY: (mov,) xrstor, 5 pushes, 2 for the low mark, 15 loads, iretq
            System.Console.WriteLine("xstate: trace: " + s_traceHits.ToString() + " #DB upcalls at " + s_traceSeenCount.ToString() +
                                     " distinct instructions of the resume path (" + expected.ToString() + " from the handler's return to iretq), " +
                                     s_traceOther.ToString() + " elsewhere; the ud2 upcall came " + s_upcalls.ToString() + " time(s)");
            ok &= s_traceHits == expected && s_traceSeenCount == expected && s_upcalls == 1;
            System.Console.WriteLine(ok ? "xstate: trace: an upcall at every instruction of the resume path, no loop" : "xstate: trace MISMATCH");
            return ok ? 0 : 1;
        }

        private static int Leak()
        {
            byte* now = stackalloc byte[RecordSize];
            Store(now, s_avx);
            if (s_avx == 0)
            {
                System.Console.WriteLine("xstate: leak: no AVX in this CPU model: nothing beyond xmm to leak MISMATCH");
                return 1;
            }
            int nonzero = 0;
            for (int r = 0; r < 16; r++)
                for (int j = 16; j < 32; j++)
                    if (now[r * 32 + j] != 0) nonzero++;
            System.Console.WriteLine("xstate: leak: a fresh environment's ymm upper halves: " + nonzero.ToString() + " non-zero bytes of 256" + (nonzero == 0 ? "" : " MISMATCH"));
            long child = Process.Fork();
            if (child < 0) return 1;
            bool ok = Round(child == 0 ? 21 : 22, ModeYield, 40, child == 0 ? "leak: child, after 40 yields to its parent" : "leak: parent, after 40 yields to its child");
            if (child != 0)
            {
                // Let the child finish its rounds before the parent's status ends the test.
                for (int i = 0; i < 100; i++) SystemCall.Yield();
            }
            return ok && nonzero == 0 ? 0 : 1;
        }

        private static void BadStateHandler(ExceptionFrame* frame)
        {
            if (frame->Vector == 13 && frame->Registers.Rip == (ulong)(delegate*<void>)&XrstorInstruction)
            {
                frame->Registers.Rip = (ulong)(delegate*<void>)&XrstorRefused;
                return;
            }
            System.Console.WriteLine("xstate: unexpected exception " + frame->Vector.ToString() + " at rip 0x" + frame->Registers.Rip.ToString("x"));
            SystemCall.Exit(1);
        }

        private static int BadState()
        {
            if (ExtendedState.Mask == 0)
            {
                System.Console.WriteLine("xstate: badstate: no XSAVE in this CPU model MISMATCH");
                return 1;
            }
            Exceptions.SetHandler(&BadStateHandler);
            int size = ExtendedState.Size;
            byte* raw = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(2 * size + 128));
            byte* good = (byte*)(((ulong)raw + 63) & ~63UL);
            byte* area = (byte*)(((ulong)good + (ulong)size + 63) & ~63UL);
            Xsave(good);                // XSAVE writes only XSTATE_BV of the (zeroed) header
            bool ok = ExtendedState.IsValid(good) && Xrstor(good) == 0;
            System.Console.WriteLine("xstate: badstate: a good area (" + size.ToString() + " bytes): ExtendedState.IsValid " +
                                     (ExtendedState.IsValid(good) ? "accepts it" : "refuses it") + ", XRSTOR " + (ok ? "loads it" : "faults"));
            string[] names = { "XSTATE_BV bit 63", "XSTATE_BV naming a disabled feature", "XCOMP_BV set", "a reserved header word", "MXCSR reserved bits" };
            for (int k = 0; k < 5; k++)
            {
                ExtendedState.Copy(good, area);
                if (k == 0) *(ulong*)(area + 512) |= 1UL << 63;
                if (k == 1) *(ulong*)(area + 512) |= 1UL << 9;            // PKRU's bit: never enabled here
                if (k == 2) *(ulong*)(area + 520) = 1;
                if (k == 3) *(ulong*)(area + 528) = 1;
                if (k == 4) *(uint*)(area + 24) |= 0xFFFF0000;
                bool refusedHere = !ExtendedState.IsValid(area);
                bool refusedByCpu = Xrstor(area) != 0;
                Xrstor(good);
                // TCG loads MXCSR without checking its reserved bits (a real CPU faults).
                string cpu = refusedByCpu ? "faults (#GP, caught)" : k == 4 ? "loads it (QEMU's TCG does not check them; hardware faults)" : "loads it";
                System.Console.WriteLine("xstate: badstate: " + names[k] + ": ExtendedState.IsValid " + (refusedHere ? "refuses it" : "accepts it") + ", XRSTOR in ring 3 " + cpu);
                ok &= refusedHere && (refusedByCpu || k == 4);
            }
            ok &= KernelRefuses(good, area, names);
            System.Console.WriteLine(ok ? "xstate: badstate: every bad area refused, a good one loaded" : "xstate: badstate MISMATCH");
            return ok ? 0 : 1;
        }

        /// <summary>The upper halves, st0 and MXCSR: what C# code between two asm calls leaves alone.</summary>
        private static bool SameBeyondSse(byte* expected, byte* actual)
        {
            if (s_avx != 0)
                for (int r = 0; r < 16; r++)
                    for (int j = 16; j < 32; j++)
                        if (expected[r * 32 + j] != actual[r * 32 + j]) return false;
            return *(long*)(expected + 512) == *(long*)(actual + 512) && (*(uint*)(expected + 520) & 0xFFC0) == (*(uint*)(actual + 520) & 0xFFC0);
        }

        /// <summary>EnvSetExtendedState on itself: every bad area is refused before the kernel's
        /// XRSTOR could see it, and the registers stay; a good one is loaded as the call returns.</summary>
        private static bool KernelRefuses(byte* good, byte* area, string[] names)
        {
            byte* p = stackalloc byte[RecordSize];
            byte* q = stackalloc byte[RecordSize];
            byte* now = stackalloc byte[RecordSize];
            Fill(p, 31);
            Fill(q, 32);
            Load(p, s_avx);
            for (int i = 512; i < 576; i++) good[i] = 0;
            Xsave(good);                // the state to set: pattern 31
            Load(q, s_avx);             // the state in the registers: pattern 32
            bool ok = true;
            long size = ExtendedState.Size;
            for (int k = 0; k < 5; k++)
            {
                ExtendedState.Copy(good, area);
                if (k == 0) *(ulong*)(area + 512) |= 1UL << 63;
                if (k == 1) *(ulong*)(area + 512) |= 1UL << 9;
                if (k == 2) *(ulong*)(area + 520) = 1;
                if (k == 3) *(ulong*)(area + 528) = 1;
                if (k == 4) *(uint*)(area + 24) |= 0xFFFF0000;
                Load(q, s_avx);         // again: the last line printed (a light call) zeroed them
                long r = SystemCall.EnvSetExtendedState(Capability.Self, area, size);
                Store(now, s_avx);
                bool kept = SameBeyondSse(q, now);
                System.Console.WriteLine("xstate: badstate: EnvSetExtendedState with " + names[k] + ": " + r.ToString() + (r == (long)Error.BadArgument ? " (BadArgument)" : "") +
                                         ", the caller's registers " + (kept ? "unchanged" : "CHANGED MISMATCH"));
                ok &= r == (long)Error.BadArgument && kept;
            }
            Load(q, s_avx);
            long shortLength = SystemCall.EnvSetExtendedState(Capability.Self, good, size - 64);
            long unmapped = SystemCall.EnvSetExtendedState(Capability.Self, (byte*)0x10, size);
            long stale = SystemCall.EnvSetExtendedState(0x7777_0123, good, size);
            Store(now, s_avx);
            bool kept2 = SameBeyondSse(q, now);
            System.Console.WriteLine("xstate: badstate: EnvSetExtendedState with a short length " + shortLength.ToString() + ", an unmapped area " + unmapped.ToString() +
                                     ", a forged handle " + stale.ToString() + "; registers " + (kept2 ? "unchanged" : "CHANGED MISMATCH"));
            ok &= shortLength == (long)Error.BadLength && unmapped == (long)Error.BadAddress && stale == (long)Error.BadHandle && kept2;
            long good1 = SystemCall.EnvSetExtendedState(Capability.Self, good, size);
            Store(now, s_avx);
            bool loaded = SameBeyondSse(p, now);
            System.Console.WriteLine("xstate: badstate: EnvSetExtendedState with the good area: " + good1.ToString() + ", " +
                                     (s_avx != 0 ? "ymm upper halves" : "st0") + ", st0 and MXCSR " + (loaded ? "now the area's" : "NOT LOADED MISMATCH"));
            return ok && good1 == 0 && loaded;
        }

        /// <summary>A light call (EnvIdOf, no extended state saved) and a general one (EnvSetName,
        /// refused): the general registers come back as they were from both; xmm0-15 come back
        /// zeroed from the light one (no kernel value in them) with the ymm upper halves kept, and
        /// intact from the other.</summary>
        private static bool LightCall()
        {
            byte* load = stackalloc byte[RecordSize];
            byte* store = stackalloc byte[RecordSize];
            ulong* words = stackalloc ulong[9];
            ulong[] kept = { 0x0B0B0B0B0B0B0B0B, 0x0BB0BB0BB0BB0BB0, 0x5151515151515151, 0x0D0D0D0D0D0D0D0D, 0x0808080808080808, 0x0909090909090909, 0x1010101010101010 };
            bool ok = true;
            for (int general = 0; general < 2; general++)
            {
                Fill(load, 41 + general);
                ulong number = general == 0 ? (ulong)Syscall.EnvIdOf : (ulong)Syscall.EnvSetName;
                CallProbe(load, store, s_avx, number, Capability.Self, words);
                int same = 0, zeroed = 0, uppers = 0;
                for (int i = 0; i < kept.Length; i++) if (words[i] == kept[i]) same++;
                if (words[7] == Capability.Self) same++;
                for (int r = 0; r < 16; r++)
                {
                    bool zero = true, upper = true;
                    for (int j = 0; j < 16; j++) zero &= store[r * 32 + j] == 0;
                    for (int j = 16; j < 32 && s_avx != 0; j++) upper &= store[r * 32 + j] == load[r * 32 + j];
                    if (zero) zeroed++;
                    if (upper) uppers++;
                }
                long result = (long)words[8];
                bool x87 = *(long*)(load + 512) == *(long*)(store + 512) && *(uint*)(load + 520) == *(uint*)(store + 520);
                if (general == 0)
                {
                    bool right = result == (long)SystemCall.EnvId();
                    System.Console.WriteLine("xstate: light: EnvIdOf(Self) = " + result.ToString() + (right ? " (its id)" : " WRONG") + ", general registers kept " + same.ToString() +
                                             " of 8, xmm0-15 zeroed " + zeroed.ToString() + " of 16, " + (s_avx != 0 ? "ymm upper halves kept " + uppers.ToString() + " of 16, " : "") +
                                             "st0 and MXCSR " + (x87 ? "kept" : "CHANGED MISMATCH"));
                    ok &= right && same == 8 && zeroed == 16 && uppers == 16 && x87;
                }
                else
                {
                    bool intact = Same(load, store, "general call");
                    System.Console.WriteLine("xstate: light: EnvSetName refused with " + result.ToString() + ", general registers kept " + same.ToString() + " of 8, " +
                                             Registers + ", st0 and MXCSR " + (intact ? "intact" : "MISMATCH"));
                    ok &= result == (long)Error.BadLength && same == 8 && intact;
                }
            }
            return ok;
        }

        public static int Main(string arguments)
        {
            s_avx = Avx();
            s_words = (ulong*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(16 * 8);
            s_words = (ulong*)(((ulong)s_words + 15) & ~15UL);     // words 2 and 3: a 16-byte pair (xstate.asm's mode 2)
            System.Console.WriteLine("xstate: " + (s_avx != 0 ? "AVX" : "no AVX") + ", ExOS's save area " + ExtendedState.Size.ToString() + " bytes, " +
                                     (ExtendedState.Mask != 0 ? "XSAVE, XCR0 = 0x" + ExtendedState.Mask.ToString("x") + ": SSE at every upcall, the rest when a handler asks" : "FXSAVE: everything at every upcall"));
            bool ok = true;
            switch (arguments)
            {
                case "fault":
                    Exceptions.SetHandler(&FaultHandler);
                    ok = Round(1, ModeFault, FaultAddress, "page fault handled in C#") && s_upcalls == 1;
                    s_likeCompiledCode = true;
                    ok = ok && Round(11, ModeFault, FaultAddress + 4096, "page fault, the handler changing only xmm0-15 and MXCSR (no ExtendedState.Of)") && s_upcalls == 2;
                    s_likeCompiledCode = false;
                    break;
                case "slice":
                    Exceptions.SetHandler(&SliceHandler);
                    SystemCall.SetSliceHandlers(Capability.Self, Exceptions.Entry, Exceptions.Entry);
                    for (int i = 0; i < 3 && ok; i++) ok = Round(2 + i, ModeWatch, (ulong)s_words, "slice-end upcall " + (i + 1).ToString());
                    SystemCall.SetSliceHandlers(Capability.Self, 0, 0);
                    break;
                case "revoke":
                    Exceptions.SetHandler(&FaultHandler);
                    Exceptions.SetRevokeHandler(&GiveBack);
                    s_spareFrame = SystemCall.FrameAlloc();
                    ulong* revoke = stackalloc ulong[3];     // Revoke(self, 1), made by the loaded code itself
                    revoke[0] = (ulong)Syscall.Revoke;
                    revoke[1] = Capability.Self;
                    revoke[2] = 1;
                    ok = Round(5, ModeWatch, (ulong)(s_words + 1), "revocation upcall", false, revoke);
                    break;
                case "threads":
                    Threads.Initialize();
                    Threads.Create(&Second);
                    for (int i = 0; i < 4 && ok; i++) ok = Round(200 + i, ModeOther, (ulong)(s_words + 2), "thread 1 round " + i.ToString(), true);
                    while (s_secondDone == 0) { }
                    ok &= s_secondOk;
                    System.Console.WriteLine("xstate: threads: two threads, 4 rounds each of " + Registers + ", st0 and MXCSR across switches: " +
                                             (ok ? "intact" : "MISMATCH") + " (" + Threads.Switches.ToString() + " switches)");
                    ok &= Threads.Switches >= 8;
                    break;
                case "threadfaults":
                    Threads.Initialize(&ThreadFault);
                    Threads.Create(&FaultingThread);
                    for (int i = 0; i < 10 && ok; i++)
                    {
                        ok = Round(400 + i, ModeFault, FaultAddress + (ulong)i * 4096, "thread 1 fault " + i.ToString(), true);
                        WaitTick();
                    }
                    while (s_secondDone == 0) { }
                    ok &= s_secondOk;
                    System.Console.WriteLine("xstate: threadfaults: two threads, 10 slow page faults each: " + Registers + ", st0 and MXCSR " + (ok ? "intact" : "MISMATCH") +
                                             "; " + Threads.Switches.ToString() + " switches, " + (Threads.KeptInHandler > 0 ? "some" : "no") + " slice ends inside a handler (the thread kept the processor)");
                    ok &= s_upcalls == 20 && Threads.KeptInHandler > 0 && Threads.Switches >= 4;
                    break;
                case "trace":
                    return Trace();
                case "dirty":
                {
                    byte* record = stackalloc byte[RecordSize];
                    Fill(record, 9);
                    byte* store = stackalloc byte[RecordSize];
                    Run(record, store, ModeYield, 1, s_avx, null);
                    System.Console.WriteLine("xstate: dirty: leaving a pattern in " + Registers);
                    SystemCall.Exit(0);     // straight out, the registers as they are
                    return 0;
                }
                case "leak":
                    return Leak();
                case "light":
                    ok = LightCall();
                    break;
                case "badstate":
                    return BadState();
                default:
                    System.Console.WriteLine("xstate: modes: fault slice revoke threads threadfaults trace dirty leak light badstate");
                    return 2;
            }
            System.Console.WriteLine("xstate: " + arguments + (ok ? ": passed" : ": MISMATCH"));
            return ok ? 0 : 1;
        }
    }
}
