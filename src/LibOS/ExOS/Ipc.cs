// JOS-style message passing (ipc_send / ipc_recv) as a library over the kernel's protected
// control transfer: Receive waits for a call, maps a frame that came with it, and replies at
// once so the sender goes on; Send calls the receiver, yielding to it while it is busy.
// Messages travel in registers (the *Registers calls) except a page, which needs IpcCall.
// Invariant: a copy of the message is sent afresh each try; nothing here keeps state.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Ipc
    {
        /// <summary>Sends value (and the page at pageAddress, when non-zero, with flags) to
        /// envId; waits until it is received. 0 or a negative Abi.Error.</summary>
        public static long Send(ulong envId, ulong value, ulong pageAddress = 0, ulong flags = 0)
        {
            IpcMessage message = default;
            message.Word0 = value;
            if (pageAddress != 0)
            {
                PageInfo info;
                SystemCall.PageQuery(pageAddress, &info);
                if (info.Flags == 0) return (long)Error.BadAddress;
                message.FrameHandle = info.FrameHandle;
                message.FrameFlags = flags;
            }
            while (true)
            {
                IpcMessage copy = message;
                long r = pageAddress == 0 ? SystemCall.IpcCallRegisters(envId, value, 0, 0, &copy) : SystemCall.IpcCall(envId, &copy);
                if (r != (long)Error.NotReceiving) return r;
                SystemCall.Yield(envId);
            }
        }

        /// <summary>Waits for a message; maps its page (if any) at pageAddress (or drops it when
        /// pageAddress is 0). Returns the value; from is the sender's id.</summary>
        public static ulong Receive(out ulong from, ulong pageAddress = 0)
        {
            IpcMessage message;
            long r = SystemCall.IpcWaitRegisters(&message);
            from = r < 0 ? 0 : message.From;
            if (r < 0) return 0;
            if (message.FrameHandle != 0)
            {
                if (pageAddress != 0) SystemCall.PageMap(Capability.Self, pageAddress, message.FrameHandle, message.FrameFlags & PageFlags.Writable);
                else SystemCall.FrameFree(message.FrameHandle);
            }
            SystemCall.IpcReplyRegisters(message.From, 0, 0, 0);
            return message.Word0;
        }
    }
}
