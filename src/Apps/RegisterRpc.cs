// Remote procedure calls in registers (IpcCallRegisters, IpcReplyRegisters with wait), the
// calls stubs.asm does without C#: a forked server answers (w0 + w1 * w2, w0 ^ w2, w1 - 1)
// and the client checks every word of 1000 replies (a reply's From is 0); then one call through
// IpcCall (memory) to the same register-waiting server, and one reply-and-wait in memory
// form to the register caller, so the fast and general paths are seen to agree.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class RegisterRpc
    {
        private static void Serve()
        {
            IpcMessage m;
            long reply = SystemCall.IpcWaitRegisters(&m);      // the reply capability's handle
            while (true)
            {
                if (m.Word0 == 0xFFFF)      // switch to the memory form for one round
                {
                    IpcMessage answer = default;
                    answer.Word0 = 0xAAAA;
                    IpcMessage next;
                    reply = SystemCall.IpcReply((ulong)reply, &answer, &next);
                    m = next;
                    continue;
                }
                reply = SystemCall.IpcReplyRegisters((ulong)reply, m.Word0 + m.Word1 * m.Word2, m.Word0 ^ m.Word2, m.Word1 - 1, &m);
            }
        }

        public static int Main(string arguments)
        {
            long child = Process.Fork();
            if (child == 0)
            {
                Serve();
                return 0;
            }
            ulong server = (ulong)child;
            IpcMessage r;
            while (SystemCall.IpcCallRegisters(server, 0, 0, 0, &r) == (long)Error.NotReceiving) SystemCall.Yield(server);
            int bad = 0;
            for (ulong i = 1; i <= 1000; i++)
            {
                ulong w0 = i * 7919, w1 = i + 3, w2 = i << 20;
                long result = SystemCall.IpcCallRegisters(server, w0, w1, w2, &r);
                if (result != 0 || r.From != 0 || r.Word0 != w0 + w1 * w2 || r.Word1 != (w0 ^ w2) || r.Word2 != w1 - 1 ||
                    r.Handle != 0 || r.HandleFlags != 0)
                    bad++;
            }
            System.Console.WriteLine("rpc: 1000 register calls, " + bad.ToString() + " wrong");
            IpcMessage m = default;
            m.Word0 = 5;
            m.Word1 = 6;
            m.Word2 = 7;
            long memory = SystemCall.IpcCall(server, &m);
            System.Console.WriteLine("rpc: a memory call to a register server: " + memory.ToString() + ", " + m.Word0.ToString() + " " + m.Word1.ToString() + " " + m.Word2.ToString() + (m.From == 0 ? " from the server" : " from someone else"));
            long mixed = SystemCall.IpcCallRegisters(server, 0xFFFF, 0, 0, &r);
            System.Console.WriteLine("rpc: a memory reply to a register call: " + mixed.ToString() + ", " + r.Word0.ToString("x"));
            long after = SystemCall.IpcCallRegisters(server, 1, 2, 3, &r);
            System.Console.WriteLine("rpc: and back in registers: " + after.ToString() + ", " + r.Word0.ToString());
            SystemCall.EnvDestroy((ulong)child);
            return bad == 0 ? 0 : 1;
        }
    }
}
