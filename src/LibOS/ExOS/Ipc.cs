// JOS-style message passing (ipc_send / ipc_recv) as a library over the kernel's protected
// control transfer: Receive waits for a call, maps a frame that came with it, and answers at
// once through the reply capability so the sender goes on; Send calls an endpoint (an
// environment capability with the Call right: a child's handle, Process.Parent, or one
// minted with CapMint), yielding to its environment while it is busy.
// Messages travel in registers (the *Registers calls) except a page, which needs IpcCall.
// Invariant: a copy of the message is sent afresh each try; nothing here keeps state.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Ipc
    {
        /// <summary>Sends value (and the page at pageAddress, when non-zero, with flags) through
        /// the endpoint; waits until it is received. 0 or a negative Abi.Error.</summary>
        public static long Send(ulong endpoint, ulong value, ulong pageAddress = 0, ulong flags = 0)
        {
            IpcMessage message = default;
            message.Word0 = value;
            if (pageAddress != 0)
            {
                PageInfo info;
                SystemCall.PageQuery(pageAddress, &info);
                if (info.Flags == 0) return (long)Error.BadAddress;
                message.Handle = info.FrameHandle;
                message.HandleFlags = flags;
            }
            while (true)
            {
                IpcMessage copy = message;
                long r = pageAddress == 0 ? SystemCall.IpcCallRegisters(endpoint, value, 0, 0, &copy) : SystemCall.IpcCall(endpoint, &copy);
                if (r != (long)Error.NotReceiving) return r;
                SystemCall.Yield(endpoint);
            }
        }

        /// <summary>Waits for a message; maps its page (if any) at pageAddress (or drops it when
        /// pageAddress is 0). Returns the value; from is the badge of the endpoint it came
        /// through (a child's id when it came through its Process.Parent).</summary>
        public static ulong Receive(out ulong from, ulong pageAddress = 0)
        {
            IpcMessage message;
            long reply = SystemCall.IpcWaitRegisters(&message);
            from = reply < 0 ? 0 : message.From;
            if (reply < 0) return 0;
            if (message.Handle != 0)
            {
                if (pageAddress != 0)
                {
                    SystemCall.PageMap(Capability.Self, pageAddress, message.Handle, message.HandleFlags & PageFlags.Writable);
                }
                else
                {
                    SystemCall.CapDrop(message.Handle);
                }
            }
            SystemCall.IpcReplyRegisters((ulong)reply, 0, 0, 0);
            return message.Word0;
        }
    }
}
