// User-level threads, switched on the kernel's slice upcalls: at a slice's end (epilogue)
// the interrupted thread's registers and x87/SSE/AVX state are saved from the upcall frame
// and its save area (ExtendedState.cs) and the environment yields; at the next slice's start
// (prologue) the next thread's are put there and the upcall returns into it. The kernel
// only gives the environment its slices; which thread runs is this library's policy (round
// robin). A thread interrupted inside an upcall handler (on the exception stack, which all
// threads share) runs on until it leaves it. Threads.Yield gives up the rest of the slice
// voluntarily. A thread inside the heap (GlobalHeap.Busy) keeps the processor too; the saved
// registers of the threads not running are roots of the collector (AddRoots), and their stacks
// are scanned from the saved rsp (SavedRsp). Missing: blocking primitives (locks, join), thread-local data.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Threads
    {
        public const int MaxThreads = 16;

        private struct Thread
        {
            public Registers Registers;
            public byte* State;             // ExtendedState.Size bytes
            public bool Alive;
        }

        private static Thread* s_threads;
        // A slice that ended inside an upcall handler (on the exception stack, perhaps inside this
        // very file's prologue handler copying a thread record): its state is kept here, never in
        // the thread's record, which the interrupted handler may be reading.
        private static Thread* s_inHandler;
        private static bool s_inHandlerSaved;
        private static int s_count, s_current, s_alive;
        private static bool s_inEpilogue;
        private static ulong s_switches, s_keptInHandler;
        private static delegate*<ExceptionFrame*, void> s_otherExceptions;

        /// <summary>How many times a slice upcall moved the processor to another thread.</summary>
        public static ulong Switches => s_switches;

        /// <summary>How many slice boundaries found the thread inside an upcall handler, so it
        /// kept the processor (another thread's upcall would reuse the exception stack).</summary>
        public static ulong KeptInHandler => s_keptInHandler;

        /// <summary>Makes the calling code thread 0 and sends slice upcalls here. 0 or an Abi.Error.</summary>
        public static long Initialize(delegate*<ExceptionFrame*, void> otherExceptions = null)
        {
            s_threads = (Thread*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(MaxThreads * sizeof(Thread)));
            s_threads[0].State = NewState();
            s_inHandler = (Thread*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(Thread));
            s_inHandler->State = NewState();
            s_threads[0].Alive = true;
            s_count = 1;
            s_alive = 1;
            s_otherExceptions = otherExceptions;
            long r = Exceptions.SetHandler(&Upcall);
            if (r < 0) return r;
            return SystemCall.SetSliceHandlers(Capability.Self, Exceptions.Entry, Exceptions.Entry);
        }

        /// <summary>A new thread running body on a stack of its own. Its index, or a negative Abi.Error.</summary>
        public static long Create(delegate*<void> body)
        {
            if (s_count == MaxThreads) return (long)Error.TableFull;
            int index = s_count;
            ulong stackBase = Layout.ThreadStacks + (ulong)index * Layout.ThreadStackSize;
            for (ulong page = stackBase + Layout.ThreadStackSize - 4 * 4096; page < stackBase + Layout.ThreadStackSize; page += 4096)
            {
                long r = Memory.AllocatePage(page);
                if (r < 0) return r;
            }
            Thread* t = s_threads + index;
            if (t->State == null) t->State = NewState();
            t->Registers.Rip = (ulong)(delegate*<void>)&Run;
            t->Registers.Rsp = stackBase + Layout.ThreadStackSize - 8;   // as if just called
            t->Registers.Rdi = (ulong)body;
            t->Registers.Rflags = 0x202;
            t->Alive = true;
            s_count++;
            s_alive++;
            return index;
        }

        public static int Current => s_current;

        /// <summary>Whether thread index has been created and has not finished: a finished
        /// thread's stack holds only stale words, which the collector need not scan.</summary>
        public static bool IsAlive(int index) => s_threads != null && index >= 0 && index < s_count && s_threads[index].Alive;

        /// <summary>The rsp thread index stopped at, when it is alive and not the one running; else 0.</summary>
        public static ulong SavedRsp(int index) => IsAlive(index) && index != s_current ? s_threads[index].Registers.Rsp : 0;

        /// <summary>For the collector: the saved registers of every live thread not running, and of
        /// the one a slice end caught inside a handler until it resumes. The running thread's
        /// record is stale (its registers are live on its stack and in upcall frames): skipped.</summary>
        internal static void AddRoots()
        {
            if (s_threads == null) return;
            for (int i = 0; i < s_count; i++)
                if (s_threads[i].Alive && i != s_current)
                    Internal.Runtime.GarbageCollector.AddRoots((ulong*)&s_threads[i].Registers, (ulong*)(&s_threads[i].Registers + 1));
            if (s_inHandlerSaved) Internal.Runtime.GarbageCollector.AddRoots((ulong*)&s_inHandler->Registers, (ulong*)(&s_inHandler->Registers + 1));
        }

        private static byte* NewState()
        {
            var state = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)ExtendedState.Size);
            ExtendedState.Initialize(state);
            return state;
        }

        private static void Save(ExceptionFrame* frame)
        {
            s_threads[s_current].Registers = frame->Registers;
            ExtendedState.Copy(ExtendedState.Of(frame), s_threads[s_current].State);
        }

        /// <summary>Gives up the rest of the slice; another thread may run at the next one.</summary>
        public static void Yield() => SystemCall.Yield();

        private static void Run()
        {
            // rdi held the body when the prologue started us here: read it back from the record.
            var body = (delegate*<void>)s_threads[s_current].Registers.Rdi;
            body();
            s_threads[s_current].Alive = false;
            if (--s_alive == 0) SystemCall.Exit(0);
            while (true) SystemCall.Yield();
        }

        private static void Upcall(ExceptionFrame* frame)
        {
            if (frame->Vector == UpcallVector.SliceEnd)
            {
                if (Layout.OnExceptionStack(frame->Registers.Rsp))
                {
                    s_inHandler->Registers = frame->Registers;
                    ExtendedState.Copy(ExtendedState.Of(frame), s_inHandler->State);
                    s_inHandlerSaved = true;
                }
                else Save(frame);
                s_inEpilogue = true;
                SystemCall.Yield();            // never returns: the next slice starts with the prologue
                return;
            }
            if (frame->Vector == UpcallVector.SliceStart)
            {
                // After a voluntary yield the frame is the yielding thread's: keep it.
                if (!s_inEpilogue) Save(frame);
                s_inEpilogue = false;
                if (s_inHandlerSaved)
                {
                    // The slice ended inside a handler: it runs on until it leaves it.
                    s_inHandlerSaved = false;
                    s_keptInHandler++;
                    frame->Registers = s_inHandler->Registers;
                    ExtendedState.Copy(s_inHandler->State, ExtendedState.Of(frame));
                    return;
                }
                int next = s_current;
                // Inside a handler the thread stays: another's upcall would reuse the stack; so it
                // does inside the heap (an allocation or a collection is not reentrant).
                if (Layout.OnExceptionStack(s_threads[s_current].Registers.Rsp) || Internal.Runtime.GlobalHeap.Busy) s_keptInHandler++;
                else
                    for (int i = 1; i <= s_count; i++)
                    {
                        int candidate = (s_current + i) % s_count;
                        if (s_threads[candidate].Alive)
                        {
                            next = candidate;
                            break;
                        }
                    }
                if (next != s_current) s_switches++;
                s_current = next;
                frame->Registers = s_threads[next].Registers;
                ExtendedState.Copy(s_threads[next].State, ExtendedState.Of(frame));
                return;
            }
            if (s_otherExceptions != null)
            {
                s_otherExceptions(frame);
                return;
            }
            if (Exceptions.RaiseManaged(frame)) return;
            System.Console.WriteLine("exos: thread " + s_current.ToString() + ": exception " + frame->Vector.ToString() + " at rip 0x" + frame->Registers.Rip.ToString("x"));
            SystemCall.EnvDestroy(Capability.Self);
        }
    }
}
