// The frame table counts references in 16 bits: 65,535 at most. This program drives one
// frame's count to that limit by granting it over IPC to children that keep every
// capability they get, then asks for one more reference both ways a frame changes hands
// (an IPC grant, a mapping into another environment, one by PageMapRange, a minted copy). The kernel must refuse them
// (TableFull) and keep the count equal to the capabilities that name the frame; a kernel
// that ignored the refusal would later free the frame while it is still mapped.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class ReferenceCount
    {
        private const ulong Shared = 0x6000_0000;
        private const int MaxChildren = 24;

        /// <summary>A child that answers every call and keeps what it is given.</summary>
        private static void Keeper()
        {
            IpcMessage m;
            long reply = SystemCall.IpcWaitRegisters(&m);
            while (true) reply = SystemCall.IpcReplyRegisters((ulong)reply, 0, 0, 0, &m);
        }

        private static long Call(ulong endpoint, ulong frameHandle)
        {
            while (true)
            {
                IpcMessage m = default;
                m.Handle = frameHandle;
                long r = SystemCall.IpcCall(endpoint, &m);
                if (r != (long)Error.NotReceiving) return r;
                SystemCall.Yield(endpoint);
            }
        }

        public static int Main(string arguments)
        {
            if (Memory.AllocatePage(Shared) < 0) return Fail("no page");
            PageInfo info;
            SystemCall.PageQuery(Shared, &info);
            ulong frame = info.Frame, handle = info.FrameHandle;
            long* children = stackalloc long[MaxChildren];
            int made = 0;
            long granted = 0, lastError = 0;
            while (KernelTables.FrameReferences(frame) < ushort.MaxValue && made < MaxChildren)
            {
                long child = Process.Fork();
                if (child == 0) Keeper();
                if (child < 0) return Fail("fork: " + child.ToString());
                children[made++] = child;
                while (KernelTables.FrameReferences(frame) < ushort.MaxValue)
                {
                    lastError = Call((ulong)child, handle);
                    if (lastError < 0) break;       // its table is full: the next child
                    granted++;
                }
            }
            int references = KernelTables.FrameReferences(frame);
            System.Console.WriteLine("refcount: " + granted.ToString() + " grants to " + made.ToString() +
                                     " children; the frame's count is " + references.ToString());
            if (references != ushort.MaxValue) return Fail("the count did not reach its limit");

            long fresh = Process.Fork();
            if (fresh == 0) Keeper();
            if (fresh < 0) return Fail("fork: " + fresh.ToString());
            long byIpc = Call((ulong)fresh, handle);
            long byMap = SystemCall.PageMap((ulong)fresh, Shared, handle, 0);
            ulong* range = stackalloc ulong[1];
            range[0] = handle;
            long byRange = SystemCall.PageMapRange((ulong)fresh, Shared, 1, range, 0);
            long byMint = SystemCall.CapMint(handle, 0);
            System.Console.WriteLine("refcount: one more reference over IPC: " + Describe(byIpc) + "; by mapping into another environment: " + Describe(byMap) +
                                     "; by a range mapping: " + Describe(byRange) + "; by minting: " + Describe(byMint));
            references = KernelTables.FrameReferences(frame);
            System.Console.WriteLine("refcount: the frame's count is still " + references.ToString());
            if (byIpc >= 0 || byMap >= 0 || byRange >= 0 || byMint >= 0) return Survived();
            for (int i = 0; i < made; i++) SystemCall.EnvDestroy((ulong)children[i]);
            SystemCall.EnvDestroy((ulong)fresh);
            // The ended children's tables go back a bounded step a tick (docs/abi.md, "Bounded kernel work").
            ulong start = Clock.Ticks;
            while (KernelTables.FrameReferences(frame) != 1 && Clock.Ticks - start < 500) SystemCall.Yield();
            references = KernelTables.FrameReferences(frame);
            System.Console.WriteLine("refcount: children destroyed, the frame's count is " + references.ToString() + (references == 1 ? " (ours alone)" : " WRONG") +
                                     " after " + (Clock.Ticks - start).ToString() + " ticks");
            return references == 1 ? 0 : 1;
        }

        private static string Describe(long result) => result >= 0 ? "granted" : "refused (" + Executive.ExecutiveText.Result(result) + ")";

        private static int Fail(string why)
        {
            System.Console.WriteLine("refcount: " + why);
            return 1;
        }

        private static int Survived()
        {
            System.Console.WriteLine("refcount: survived the attack (the kernel let it through)");
            return 1;
        }
    }
}
