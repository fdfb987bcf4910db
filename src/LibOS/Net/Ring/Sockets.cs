// Blocking sockets over a NetInterface: each call retries the stack's non-blocking one,
// waiting on the receive ring's wakeup predicate in between (a waiting program uses no
// processor time), and PollWait is the poll(2)-like readiness wait over many handles.
// Timeouts are in milliseconds; 0 waits for ever. Results: the stack's (NetError when negative).
namespace ExoSharp.LibOS.Net.Ring
{
    public sealed unsafe class Sockets
    {
        public readonly NetInterface Interface;
        public NetStack Stack => Interface.Stack;

        public Sockets(NetInterface nif) => Interface = nif;

        public int Accept(int listener, long timeout = 0)
        {
            long until = Deadline(timeout);
            while (true)
            {
                int r = Stack.TcpAccept(listener);
                if (r != NetError.WouldBlock || Expired(until)) return r;
                Interface.Wait(1);
            }
        }

        /// <summary>Connects and waits until established (or refused, unreachable, timed out).</summary>
        public int Connect(uint address, ushort port, long timeout = 0)
        {
            int h = Stack.TcpConnect(address, port);
            if (h < 0) return h;
            long until = Deadline(timeout);
            while (true)
            {
                int ready = Stack.Readiness(h);
                if ((ready & NetStack.Connected) != 0) return h;
                TcpConnection c = Stack.Connection(h);
                if (c == null || c.State == TcpState.Closed || (ready & NetStack.Failed) != 0)
                {
                    int error = c != null && c.Error != 0 ? c.Error : NetError.Refused;
                    Stack.TcpClose(h);
                    return error;
                }
                if (Expired(until)) { Stack.TcpAbort(h); return NetError.TimedOut; }
                Interface.Wait(1);
            }
        }

        /// <summary>Sends all length bytes (or fails): length or an error.</summary>
        public int Send(int h, byte* data, uint length, long timeout = 0)
        {
            long until = Deadline(timeout);
            uint sent = 0;
            while (sent < length)
            {
                int r = Stack.TcpSend(h, data + sent, length - sent);
                if (r > 0) { sent += (uint)r; continue; }
                if (r != NetError.WouldBlock) return r;
                if (Expired(until)) return sent > 0 ? (int)sent : NetError.TimedOut;
                Interface.Wait(1);
            }
            return (int)sent;
        }

        /// <summary>Some bytes (at most capacity), 0 at the end of the stream, or an error.</summary>
        public int Receive(int h, byte* buffer, uint capacity, long timeout = 0)
        {
            long until = Deadline(timeout);
            while (true)
            {
                int r = Stack.TcpReceive(h, buffer, capacity);
                if (r != NetError.WouldBlock) return r;
                if (Expired(until)) return NetError.TimedOut;
                Interface.Wait(1);
            }
        }

        /// <summary>poll(2) over handles: for each, the readiness bits wanted; got receives the
        /// bits that hold. How many handles are ready (0 when the timeout passed).</summary>
        public int PollWait(int* handles, int* want, int* got, int count, long timeout = 0)
        {
            long until = Deadline(timeout);
            while (true)
            {
                int ready = 0;
                for (int i = 0; i < count; i++)
                {
                    got[i] = Stack.Readiness(handles[i]) & (want[i] | NetStack.Failed);
                    if (got[i] != 0) ready++;
                }
                if (ready > 0 || Expired(until)) return ready;
                Interface.Wait(1);
            }
        }

        private static long Deadline(long timeout) => timeout == 0 ? long.MaxValue : NetClock.Now + timeout;

        private static bool Expired(long until) => NetClock.Now >= until;
    }
}
