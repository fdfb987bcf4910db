// Endpoints, badges, reply capabilities, capabilities over IPC and revocation, seen from both
// sides: a server mints two badged endpoints from itself and passes one to each of two forked
// clients over IPC; it tells their calls apart by badge, answers through one-shot reply
// capabilities, drops one call unanswered (the client gets CallDropped), passes a frame and
// takes it back with CapRevoke (the client's mapping goes), and revokes one client's endpoint
// (its next call is refused). Each line says what was checked and the value seen.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class Endpoints
    {
        private const ulong BadgeA = 0xA1, BadgeB = 0xB2;
        private const ulong Shared = 0x5100_0000, SharedInClient = 0x5200_0000;
        private const ulong GiveEndpoint = 0, CallAgain = 1, TakeFrame = 2, LookAtFrame = 3, LastResult = 4;
        private static int s_failures;

        private static void Check(string what, bool ok)
        {
            if (!ok) s_failures++;
            System.Console.WriteLine("endpoints: " + what + (ok ? " ok" : " WRONG"));
        }

        /// <summary>Calls a child (through its capability) with an order and maybe a capability;
        /// the child's answer word, or the error.</summary>
        private static long Order(ulong child, ulong order, ulong capability = 0, ulong flags = 0)
        {
            while (true)
            {
                IpcMessage m = default;
                m.Word0 = order;
                m.Handle = capability;
                m.HandleFlags = flags;
                long r = SystemCall.IpcCall(child, &m);
                if (r == (long)Error.NotReceiving)
                {
                    SystemCall.Yield(child);
                    continue;
                }
                return r < 0 ? r : (long)m.Word0;
            }
        }

        private static long CallUntilServed(ulong endpoint, ulong word)
        {
            IpcMessage r;
            long result;
            while ((result = SystemCall.IpcCallRegisters(endpoint, word, 0, 0, &r)) == (long)Error.NotReceiving) SystemCall.Yield(endpoint);
            return result < 0 ? result : (long)r.Word0;
        }

        /// <summary>A client: takes its endpoint, calls through it once (twice for the second
        /// client, whose second call the server drops), then answers the server's orders.</summary>
        private static void Client(bool second)
        {
            IpcMessage m;
            long reply = SystemCall.IpcWaitRegisters(&m);
            ulong endpoint = m.Handle;
            SystemCall.IpcReplyRegisters((ulong)reply, 0, 0, 0);
            long last = CallUntilServed(endpoint, 7);
            if (second) last = CallUntilServed(endpoint, 8);
            reply = SystemCall.IpcWaitRegisters(&m);
            while (true)
            {
                ulong answer = 0;
                if (m.Word0 == CallAgain) answer = (ulong)SystemCall.IpcCallRegisters(endpoint, 9, 0, 0, &m);
                else if (m.Word0 == TakeFrame)
                {
                    SystemCall.PageMap(Capability.Self, SharedInClient, m.Handle, PageFlags.Writable);
                    answer = *(ulong*)SharedInClient;
                }
                else if (m.Word0 == LookAtFrame)
                {
                    PageInfo info;
                    SystemCall.PageQuery(SharedInClient, &info);
                    answer = info.Flags;
                }
                else if (m.Word0 == LastResult) answer = (ulong)last;
                // The memory form: the wait for the next order writes m.
                IpcMessage a = default;
                a.Word0 = answer;
                reply = SystemCall.IpcReply((ulong)reply, &a, &m);
            }
        }

        public static int Main(string arguments)
        {
            long endpointA = SystemCall.CapMint(Capability.Self, CapabilityRights.Call | CapabilityRights.Yield, BadgeA);
            long endpointB = SystemCall.CapMint(Capability.Self, CapabilityRights.Call | CapabilityRights.Yield, BadgeB);
            Check("two endpoints minted from myself with badges a1 and b2", endpointA > 0 && endpointB > 0);
            long a = Process.Fork();
            if (a == 0) Client(false);
            long b = Process.Fork();
            if (b == 0) Client(true);
            Check("endpoint a passed to client a over IPC", Order((ulong)a, GiveEndpoint, (ulong)endpointA) == 0);
            Check("endpoint b passed to client b over IPC", Order((ulong)b, GiveEndpoint, (ulong)endpointB) == 0);

            ulong seen = 0;
            for (int i = 0; i < 2; i++)
            {
                IpcMessage m;
                long reply = SystemCall.IpcWaitRegisters(&m);
                seen |= m.From == BadgeA ? 1UL : m.From == BadgeB ? 2UL : 4UL;
                long answered = SystemCall.IpcReplyRegisters((ulong)reply, m.From, 0, 0);
                if (i == 0)
                {
                    Check("a reply capability answers once", answered == 0);
                    Check("and is used up: a second answer gets " + SystemCall.IpcReplyRegisters((ulong)reply, 0, 0, 0).ToString(),
                          SystemCall.IpcReplyRegisters((ulong)reply, 0, 0, 0) == (long)Error.BadHandle);
                }
            }
            Check("the two calls came with badges a1 and b2 (seen " + seen.ToString() + ")", seen == 3);
            {
                IpcMessage m;
                long reply = SystemCall.IpcWaitRegisters(&m);
                Check("client b calls again (badge " + m.From.ToString("x") + ")", m.From == BadgeB);
                Check("the server drops that call", SystemCall.CapDrop((ulong)reply) == 0);
                long told = Order((ulong)b, LastResult);
                Check("client b's call ended with " + told.ToString(), told == (long)Error.CallDropped);
            }

            long frame = SystemCall.FrameAlloc();
            SystemCall.PageMap(Capability.Self, Shared, (ulong)frame, PageFlags.Writable);
            *(ulong*)Shared = 0xF00D;
            long got = Order((ulong)a, TakeFrame, (ulong)frame, PageFlags.Writable);
            Check("client a maps the frame it was passed and reads " + got.ToString("x"), got == 0xF00D);
            long taken = SystemCall.CapRevoke((ulong)frame);
            Check("the server revokes what it derived from its frame: " + taken.ToString(), taken == 1);
            long flags = Order((ulong)a, LookAtFrame);
            Check("client a's mapping of it is gone (flags " + flags.ToString() + ")", flags == 0);
            Check("the server's own mapping stays", *(ulong*)Shared == 0xF00D);

            long before = Order((ulong)a, CallAgain);
            Check("before revocation client a's endpoint reaches the server (" + before.ToString() + ": it is busy calling a)", before == (long)Error.NotReceiving);
            long revoked = SystemCall.CapRevoke((ulong)endpointA);
            Check("the server revokes endpoint a: " + revoked.ToString() + " capability", revoked == 1);
            long after = Order((ulong)a, CallAgain);
            Check("client a's call through the revoked endpoint gets " + after.ToString(), after == (long)Error.BadHandle);
            long stillB = Order((ulong)b, CallAgain);
            Check("client b's endpoint still reaches the server (" + stillB.ToString() + ": not waiting)", stillB == (long)Error.NotReceiving);
            SystemCall.EnvDestroy((ulong)a);
            SystemCall.EnvDestroy((ulong)b);
            Process.Release((ulong)a);
            Process.Release((ulong)b);
            if (s_failures != 0) return 1;
            System.Console.WriteLine("endpoints: all checked");
            return 0;
        }
    }
}
