// The same inputs through the assembly fast paths and through the C# kernel: every case of
// PageMapOne (each error, remaps the fast path takes, new pages and other environments it
// leaves to C#), of register IPC (calls and replies in registers, each error) and of exception
// upcalls (page faults read and write, a divide error, a fault inside the handler; before the
// program forks, so no copy-on-write fault reaches its handler), of directed yields and of
// the light calls (results and errors; fastpath=off sends them through the general entry). Each
// result is printed and folded into one digest; tests/Boot/fastpath-on.test and
// fastpath-off.test (fastpath=off) expect the same lines, and the kernel's counters show
// which paths ran.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class FastPathDiff
    {
        private const ulong Page = 0x5800_0000, Fresh = 0x5900_0000, ReadOnly = 0x5A00_0000, Child = 0x5B00_0000;
        private const ulong FaultRead = 0x5C00_0000, FaultWrite = 0x5C01_0000, Nested = 0x5C02_0000, NestedInner = 0x5C03_0000;
        private static ulong s_digest = 14695981039346656037UL;
        private static ulong s_writeHandle;
        private static int s_faults;

        private static void Fold(ulong value)
        {
            for (int i = 0; i < 8; i++)
            {
                s_digest ^= (value >> (8 * i)) & 0xFF;
                s_digest *= 1099511628211UL;
            }
        }

        private static void Case(string name, long result)
        {
            Fold((ulong)result);
            System.Console.WriteLine("fastdiff: " + name + ": " + Describe(result));
        }

        private static string Describe(long result) => result >= 0 ? result.ToString() : Executive.ExecutiveText.Result(result);

        /// <summary>What is mapped at a page now: frame (relative to the expected one) and flags.</summary>
        private static void Mapped(string name, ulong address, ulong frame)
        {
            PageInfo info;
            SystemCall.PageQuery(address, &info);
            Fold(info.Flags);
            Fold(info.Frame == frame ? 1UL : 0);
            System.Console.WriteLine("fastdiff: " + name + " now: flags " + info.Flags.ToString() + (info.Frame == frame ? ", the expected frame" : ", another frame"));
        }

        private static void Handler(ExceptionFrame* f)
        {
            s_faults++;
            Fold(f->Vector);
            Fold(f->ErrorCode);
            Fold(f->FaultAddress);
            Fold(f->Registers.Rdi);         // only what the program controls (faultregs checks every register both ways)
            System.Console.WriteLine("fastdiff: upcall vector " + f->Vector.ToString() + ", error code " + f->ErrorCode.ToString() +
                                     ", address 0x" + f->FaultAddress.ToString("x") + ", rdi 0x" + f->Registers.Rdi.ToString("x"));
            if (f->Vector == 0)
            {
                f->Registers.Rip += 3;                          // idiv rsi: skipped
                return;
            }
            ulong page = f->FaultAddress & ~4095UL;
            if (page == FaultWrite)
            {
                Case("upcall: PageMapOne writable in the handler", SystemCall.PageMap(Capability.Self, page, s_writeHandle, PageFlags.Writable));
                return;
            }
            if (page == Nested) Machine.Read(NestedInner);     // a fault inside the handler: nested
            Memory.AllocatePage(page);
        }

        private static void Server()
        {
            IpcMessage m;
            long reply = SystemCall.IpcWaitRegisters(&m);
            while (true)
            {
                if (m.Word0 == 99)                              // wait in a buffer next, for the other form
                {
                    IpcMessage answer = default;
                    answer.Word0 = m.Word0 + 1;
                    reply = SystemCall.IpcReply((ulong)reply, &answer, &m);
                    continue;
                }
                reply = SystemCall.IpcReplyRegisters((ulong)reply, m.Word0 + 1, m.Word1 * 2, m.Word2 ^ 0xFF, &m);
            }
        }

        private static long CallUntilReceived(ulong endpoint, ulong w0, ulong w1, ulong w2, IpcMessage* reply)
        {
            for (int i = 0; i < 1000; i++)
            {
                long r = SystemCall.IpcCallRegisters(endpoint, w0, w1, w2, reply);
                if (r != (long)Error.NotReceiving) return r;
                SystemCall.Yield(endpoint);
            }
            return (long)Error.NotReceiving;
        }

        public static int Main(string arguments)
        {
            // Exception upcalls first, before any fork makes pages copy-on-write (this handler
            // replaces ExOS's own).
            PageInfo info;
            Exceptions.SetHandler(&Handler);
            Fold(Machine.Read(FaultRead));
            Memory.AllocatePage(FaultWrite, 0);
            SystemCall.PageQuery(FaultWrite, &info);
            s_writeHandle = info.FrameHandle;
            Machine.Write(FaultWrite + 8, 7);
            Fold(Machine.Read(FaultWrite + 8));
            Fold((ulong)Machine.DivideByZero(41, 0));
            Fold(Machine.Read(Nested + 16));
            Case("faults handled", s_faults);

            // PageMapOne: a page of ours and its frame.
            Memory.AllocatePage(Page);
            SystemCall.PageQuery(Page, &info);
            ulong handle = info.FrameHandle, frame = info.Frame;
            long stale = SystemCall.FrameAlloc();
            SystemCall.FrameFree((ulong)stale);
            Case("remap read-only", SystemCall.PageMap(Capability.Self, Page, handle, 0));
            Mapped("page", Page, frame);
            Case("remap writable", SystemCall.PageMap(Capability.Self, Page, handle, PageFlags.Writable));
            Case("remap executable with an available bit", SystemCall.PageMap(Capability.Self, Page, handle, PageFlags.Executable | (1UL << 9)));
            Mapped("page", Page, frame);
            Case("remap writable again", SystemCall.PageMap(Capability.Self, Page, handle, PageFlags.Writable));
            Case("unaligned address", SystemCall.PageMap(Capability.Self, Page + 8, handle, 0));
            Case("unknown flag", SystemCall.PageMap(Capability.Self, Page, handle, 1UL << 4));
            Case("below user space", SystemCall.PageMap(Capability.Self, 0x1000, handle, 0));
            Case("at the end of user space", SystemCall.PageMap(Capability.Self, UserLayout.End, handle, 0));
            Case("in the kernel's windows", SystemCall.PageMap(Capability.Self, UserLayout.WindowsStart, handle, 0));
            Case("a kernel address", SystemCall.PageMap(Capability.Self, 0xFFFF_FFFF_8010_0000, handle, 0));
            Case("a non-canonical address", SystemCall.PageMap(Capability.Self, 0x8000_0000_0000_0000, handle, 0));
            Case("a stale handle", SystemCall.PageMap(Capability.Self, Page, (ulong)stale, 0));
            Case("a forged handle", SystemCall.PageMap(Capability.Self, Page, 0x0777_0123, 0));
            Case("a handle with high bits", SystemCall.PageMap(Capability.Self, Page, handle | (1UL << 40), 0));
            Case("a slot past the table", SystemCall.PageMap(Capability.Self, Page, (handle & ~0xFFFFUL) | 0xFFFF, 0));
            Case("an environment handle as the frame", SystemCall.PageMap(Capability.Self, Page, Capability.Self, 0));
            Case("a bad environment handle", SystemCall.PageMap(0x0003_0042, Page, handle, 0));
            Case("a page with no tables yet", SystemCall.PageMap(Capability.Self, Fresh, handle, PageFlags.Writable));
            Mapped("fresh page", Fresh, frame);
            Case("remap the fresh page", SystemCall.PageMap(Capability.Self, Fresh, handle, 0));
            long other = SystemCall.FrameAlloc();
            Case("another frame over a mapped page", SystemCall.PageMap(Capability.Self, Fresh, (ulong)other, PageFlags.Writable));
            PageInfo otherInfo;
            SystemCall.PageQuery(Fresh, &otherInfo);
            Mapped("fresh page", Fresh, otherInfo.Frame);
            Case("unmap the fresh page", SystemCall.PageUnmap(Capability.Self, Fresh, 1));
            Mapped("fresh page", Fresh, otherInfo.Frame);

            // The light calls (entered without the general save): results and errors.
            Case("light: EnvIdOf ourselves is our id", SystemCall.EnvIdOf(Capability.Self) == (long)Process.Id ? 1 : 0);
            Case("light: EnvIdOf a forged handle", SystemCall.EnvIdOf(0x0777_0123));
            Case("light: FrameFree a stale handle", SystemCall.FrameFree((ulong)stale));
            Case("light: PageQuery into kernel memory", SystemCall.PageQuery(Page, (PageInfo*)0xFFFF_8000_0000_0000));
            Case("light: ConsoleWrite too long", SystemCall.ConsoleWrite((byte*)Page, UserLayout.MaxConsoleWrite + 1));
            Case("light: CapMint a forged handle", SystemCall.CapMint(0x0777_0123, 0));
            Case("light: AccountInfo into kernel memory", SystemCall.AccountInfo((AccountInfo*)0xFFFF_8000_0000_0000));
            Case("light: PageMapRange with an unknown flag", SystemCall.PageMapRange(Capability.Self, Fresh, 1, &handle, 1UL << 4));
            Case("light: PageMapRange one page", SystemCall.PageMapRange(Capability.Self, Fresh, 1, &handle, 0));
            Mapped("fresh page", Fresh, frame);
            Case("light: PageUnmap with a bad environment handle", SystemCall.PageUnmap(0x0003_0042, Fresh, 1));
            Case("light: PageUnmap it", SystemCall.PageUnmap(Capability.Self, Fresh, 1));
            Case("light: NetInfo into kernel memory", SystemCall.NetInfo((NetInfo*)0xFFFF_8000_0000_0000));
            Case("light: FilterClassify a packet of 65536 bytes", SystemCall.FilterClassify((byte*)Page, 65536));

            // A read-only capability: a child gives our frame back to us without write access.
            long child = Process.Fork();
            if (child == 0)
            {
                Ipc.Receive(out _, Child);
                Ipc.Send(Process.Parent, 0, Child, 0);
                Server();
            }
            ulong server = (ulong)child;
            Ipc.Send(server, 0, Page, PageFlags.Writable);
            IpcMessage got;
            long gotReply = SystemCall.IpcWaitRegisters(&got);   // the frame back, read-only: a new capability
            ulong readOnly = got.Handle;
            SystemCall.IpcReplyRegisters((ulong)gotReply, 0, 0, 0);
            Case("a read-only capability mapped writable", SystemCall.PageMap(Capability.Self, ReadOnly, readOnly, PageFlags.Writable));
            Case("a read-only capability mapped read-only", SystemCall.PageMap(Capability.Self, ReadOnly, readOnly, 0));
            Case("a read-only capability remapped read-only", SystemCall.PageMap(Capability.Self, ReadOnly, readOnly, 0));
            Case("a read-only capability remapped writable", SystemCall.PageMap(Capability.Self, ReadOnly, readOnly, PageFlags.Writable));
            Mapped("read-only page", ReadOnly, frame);
            Case("into the child", SystemCall.PageMap((ulong)child, Fresh, handle, 0));

            // Register IPC: the child now serves calls.
            IpcMessage reply;
            long noCall = SystemCall.CapMint(server, CapabilityRights.Yield);
            Case("call a forged handle", SystemCall.IpcCallRegisters(0x7777_0000_0000, 1, 2, 3, &reply));
            Case("call a frame handle", SystemCall.IpcCallRegisters(handle, 1, 2, 3, &reply));
            Case("call a stale generation", SystemCall.IpcCallRegisters(server + (1UL << Capability.HandleIndexBits), 1, 2, 3, &reply));
            Case("call without the Call right", SystemCall.IpcCallRegisters((ulong)noCall, 1, 2, 3, &reply));
            Case("call ourselves", SystemCall.IpcCallRegisters(Capability.Self, 1, 2, 3, &reply));
            for (ulong i = 0; i < 3; i++)
            {
                Case("call the server", CallUntilReceived(server, 10 + i, 20 + i, 30 + i, &reply));
                Fold(reply.Word0);
                Fold(reply.Word1);
                Fold(reply.Word2);
                Fold(reply.From);
                System.Console.WriteLine("fastdiff: reply " + reply.Word0.ToString() + " " + reply.Word1.ToString() + " " + reply.Word2.ToString() +
                                         " from " + reply.From.ToString());
            }
            Case("call the server, answered from a buffer", CallUntilReceived(server, 99, 0, 0, &reply));
            Fold(reply.Word0);
            Case("call the server waiting in a buffer", CallUntilReceived(server, 5, 6, 7, &reply));
            Fold(reply.Word0);
            Fold(reply.Word2);
            System.Console.WriteLine("fastdiff: reply " + reply.Word0.ToString() + " " + reply.Word1.ToString() + " " + reply.Word2.ToString());
            Case("reply through an environment handle", SystemCall.IpcReplyRegisters(server, 1, 2, 3));
            Case("reply through a forged handle", SystemCall.IpcReplyRegisters(0x7777_0000_0000, 1, 2, 3));
            Case("reply with no call to answer", SystemCall.IpcReplyRegisters(Capability.ReplySlot, 1, 2, 3));
            Case("reply with wait 2", SystemCall.InvokeRaw((ulong)Syscall.IpcReplyRegisters, Capability.ReplySlot, 1, 2, 3, 2));

            // Directed yields: each error, a target in IPC (C#'s way) and a runnable partner that
            // yields straight back (the fast path's case).
            long noYield = SystemCall.CapMint(server, CapabilityRights.Call);
            Case("yield through a forged handle", SystemCall.Yield(0x7777_0000_0000));
            Case("yield through a frame handle", SystemCall.Yield(handle));
            Case("yield through a stale generation", SystemCall.Yield(server + (1UL << Capability.HandleIndexBits)));
            Case("yield without the Yield right", SystemCall.Yield((ulong)noYield));
            Case("yield to the server waiting in IPC", SystemCall.Yield(server));
            SystemCall.EnvDestroy((ulong)child);
            Case("yield to an ended environment", SystemCall.Yield(server));
            long partner = Process.Fork();
            if (partner == 0)
                while (true) SystemCall.Yield(Process.Parent);
            for (int i = 0; i < 3; i++) Case("yield to a runnable partner", SystemCall.Yield((ulong)partner));
            Case("stop the partner", SystemCall.EnvSetStatus((ulong)partner, EnvStatus.NotRunnable));
            Case("yield to a stopped partner", SystemCall.Yield((ulong)partner));
            SystemCall.EnvDestroy((ulong)partner);

            System.Console.WriteLine("fastdiff: digest 0x" + s_digest.ToString("x"));
            return 0;
        }
    }
}
