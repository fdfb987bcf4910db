// System calls, one typed wrapper each over exo_syscall (start.asm). Numbers, errors and
// structures are ExoSharp.Abi's; results are returned as the kernel gives them (negative =
// an Abi.Error). No policy here: that is for the rest of ExOS.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class SystemCall
    {
        [RuntimeImport("exo_syscall")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern long Raw(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong number);

        [RuntimeImport("exo_ipc")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern long RawIpc(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong number, IpcMessage* received);

        [RuntimeImport("exo_syscall1")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern long Raw1(ulong a0, ulong number);

        /// <summary>A call the kernel reads one argument of (Syscalls.Dispatch: frame rdi only).</summary>
        private static long Invoke1(Syscall number, ulong a0) => Raw1(a0, (ulong)number);

        public static long Invoke(Syscall number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) =>
            Raw(a0, a1, a2, a3, a4, (ulong)number);

        /// <summary>Any number, even one the ABI does not define (for tests of the kernel's checks).</summary>
        public static long InvokeRaw(ulong number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) =>
            Raw(a0, a1, a2, a3, a4, number);

        public static long ConsoleWrite(byte* bytes, long length) => Invoke(Syscall.ConsoleWrite, (ulong)bytes, (ulong)length);
        /// <summary>Ends the caller after ExOS's exit policy (Process.AtExit).</summary>
        public static void Exit(int status)
        {
            Process.AtExit(status);
            Invoke(Syscall.Exit, (ulong)status);
        }
        public static ulong EnvId() => (ulong)Invoke(Syscall.EnvId);
        public static long Yield(ulong envHandle = 0) => Invoke1(Syscall.Yield, envHandle);
        /// <summary>Also notes the child as unstarted (Process.AtExit ends it if it still is).
        /// limits null: the child spends from the caller's account; otherwise from an account of
        /// its own with those limits, taken from the caller's (docs/abi.md, "Accounting").</summary>
        public static long EnvCreate() => EnvCreate(null);

        public static long EnvCreate(AccountLimits* limits)
        {
            long child = Invoke(Syscall.EnvCreate, (ulong)limits);
            if (child > 0) Process.NoteUnstarted((ulong)child);
            return child;
        }
        public static long EnvIdOf(ulong handle) => Invoke1(Syscall.EnvIdOf, handle);
        public static long AccountInfo(AccountInfo* info) => Invoke1(Syscall.AccountInfo, (ulong)info);
        public static long EnvSetStatus(ulong handle, EnvStatus status)
        {
            long r = Invoke(Syscall.EnvSetStatus, handle, (ulong)status);
            if (r == 0 && status == EnvStatus.Runnable) Process.NoteStarted(handle);
            return r;
        }

        public static long MachineStatus(ulong machine, ulong status) => Invoke(Syscall.MachineStatus, machine, status);
        public static long EnvSetRegisters(ulong handle, Registers* registers) => Invoke(Syscall.EnvSetRegisters, handle, (ulong)registers);
        public static long EnvSetExtendedState(ulong handle, byte* area, long length) => Invoke(Syscall.EnvSetExtendedState, handle, (ulong)area, (ulong)length);
        public static long EnvDestroy(ulong handle) => Invoke1(Syscall.EnvDestroy, handle);
        public static long FrameAlloc(ulong frame = Capability.AnyFrame) => Invoke1(Syscall.FrameAlloc, frame);
        /// <summary>FrameFree until done: the kernel unmaps at most Capability.UnmapPerCall
        /// mappings a call and returns 1 while some are left.</summary>
        public static long FrameFree(ulong handle)
        {
            long r;
            while ((r = Invoke1(Syscall.FrameFree, handle)) == 1) { }
            return r;
        }
        /// <summary>CapDrop until done (a frame's mappings go Capability.UnmapPerCall a call).</summary>
        public static long CapDrop(ulong handle)
        {
            long r;
            while ((r = Invoke1(Syscall.CapDrop, handle)) == 1) { }
            return r;
        }
        public static long PageMapRange(ulong envHandle, ulong address, ulong count, ulong* handles, ulong flags) =>
            Invoke(Syscall.PageMapRange, envHandle, address, count, (ulong)handles, flags);

        public static long PageMap(ulong envHandle, ulong address, ulong frameHandle, ulong flags) =>
            Invoke(Syscall.PageMapOne, envHandle, address, frameHandle, flags);

        /// <summary>PageUnmap until the whole range is done (the kernel returns how many pages one
        /// call went through when it stopped early).</summary>
        public static long PageUnmap(ulong envHandle, ulong address, ulong pages = 1)
        {
            long r;
            while ((r = Invoke(Syscall.PageUnmap, envHandle, address, pages)) > 0)
            {
                address += (ulong)r * 4096;
                pages -= (ulong)r;
            }
            return r;
        }
        /// <summary>PageShare until the whole range is done (the kernel returns how many pages one
        /// call went through when it stopped early).</summary>
        public static long PageShare(ulong envHandle, ulong address, ulong pages, ulong mark)
        {
            long r;
            while ((r = Invoke(Syscall.PageShare, envHandle, address, pages, mark)) > 0)
            {
                address += (ulong)r * 4096;
                pages -= (ulong)r;
            }
            return r;
        }

        /// <summary>One PageShare call as the kernel answers it (for tests of its bounds).</summary>
        public static long PageShareOnce(ulong envHandle, ulong address, ulong pages, ulong mark) =>
            Invoke(Syscall.PageShare, envHandle, address, pages, mark);
        public static long KernelCheck(KernelCheckInfo* info) => Invoke1(Syscall.KernelCheck, (ulong)info);
        public static long PageQuery(ulong address, PageInfo* info) => Invoke(Syscall.PageQuery, address, (ulong)info);
        public static long SetExceptionHandler(ulong envHandle, ulong entry, ulong stackTop) => Invoke(Syscall.SetExceptionHandler, envHandle, entry, stackTop);
        public static long SliceAlloc(ulong envHandle, ulong slot = Capability.AnySlot) => Invoke(Syscall.SliceAlloc, envHandle, slot);
        public static long SetSliceHandlers(ulong envHandle, ulong prologue, ulong epilogue) => Invoke(Syscall.SetSliceHandlers, envHandle, prologue, epilogue);
        public static long CapMint(ulong handle, ulong rights, ulong badge = 0) => Invoke(Syscall.CapMint, handle, rights, badge);
        public static long CapRevoke(ulong handle) => Invoke1(Syscall.CapRevoke, handle);
        public static long ForeignSyscalls(ulong envHandle, ulong limit) => Invoke(Syscall.ForeignSyscalls, envHandle, limit);

        // IPC: calls go through an endpoint (an environment capability with the Call right); a
        // wait returns the reply capability's handle (> 0), which the reply names.
        public static long IpcWait(IpcMessage* message) => Invoke1(Syscall.IpcWait, (ulong)message);
        public static long IpcCall(ulong endpoint, IpcMessage* message) => Invoke(Syscall.IpcCall, endpoint, (ulong)message);
        public static long IpcReply(ulong reply, IpcMessage* message, IpcMessage* waitMessage = null) => Invoke(Syscall.IpcReply, reply, (ulong)message, (ulong)waitMessage);

        // The same in registers (no capability goes out; one can come in): the received message is
        // stored at the last argument by exo_ipc when the call returns 0 or more.
        public static long IpcWaitRegisters(IpcMessage* received) =>
            RawIpc(0, 0, 0, 0, 0, (ulong)Syscall.IpcWaitRegisters, received);
        public static long IpcCallRegisters(ulong endpoint, ulong word0, ulong word1, ulong word2, IpcMessage* reply) =>
            RawIpc(endpoint, word0, word1, word2, 0, (ulong)Syscall.IpcCallRegisters, reply);
        /// <summary>next: null to carry on after replying, else wait for the next call and store it
        /// there (the result is then the next reply capability's handle).</summary>
        public static long IpcReplyRegisters(ulong reply, ulong word0, ulong word1, ulong word2, IpcMessage* next = null) =>
            RawIpc(reply, word0, word1, word2, next != null ? 1UL : 0, (ulong)Syscall.IpcReplyRegisters, next);

        // The executive: downloaded programs (docs/abi.md; report may be null).
        public static long FilterInstall(ProgramInstruction* program, long count, ProgramReport* report = null) =>
            Invoke(Syscall.FilterInstall, (ulong)program, (ulong)count, (ulong)report);
        /// <summary>FilterInstall, giving the new filter's id too (what ring slots name it by).</summary>
        public static long FilterInstall(ProgramInstruction* program, long count, out uint id)
        {
            ProgramReport report;
            long handle = FilterInstall(program, count, &report);
            id = handle > 0 ? report.FilterId : 0;
            return handle;
        }
        public static long FilterRemove(long handle) => Invoke(Syscall.FilterRemove, (ulong)handle);
        public static long FilterClassify(byte* packet, long length, FilterMatch* match = null) =>
            Invoke(Syscall.FilterClassify, (ulong)packet, (ulong)length, (ulong)match);

        // The network card (docs/abi.md, Abi.PacketRing).
        public static long RingAttach(ulong kind, ulong address, ulong slots, ulong environment = Capability.Self) =>
            Invoke(Syscall.RingAttach, environment, kind, address, slots);
        public static long NetTransmit(ulong environment = Capability.Self) => Invoke1(Syscall.NetTransmit, environment);
        public static long NetInfo(NetInfo* info) => Invoke(Syscall.NetInfo, (ulong)info);

        // The console's input (Abi.ConsoleRing; Console.cs puts a line discipline on it).
        public static long ConsoleAttach(ulong console, ulong address) => Invoke(Syscall.ConsoleAttach, console, address);

        // The disk through XN (docs/xn.md).
        public static long XnTemplate(ProgramInstruction* program, long count, ProgramReport* report = null) =>
            Invoke(Syscall.XnTemplate, (ulong)program, (ulong)count, (ulong)report);
        public static long XnRootCreate(byte* name, long length, ulong key, ulong block, ulong type) =>
            Invoke(Syscall.XnRootCreate, (ulong)name, (ulong)length, key, block, type);
        /// <summary>root's block goes to *block when block is not null.</summary>
        public static long XnRootOpen(byte* name, long length, ulong key, ulong* block = null) => Invoke(Syscall.XnRootOpen, (ulong)name, (ulong)length, key, (ulong)block);
        public static long XnAlloc(XnChange* change) => Invoke(Syscall.XnAlloc, (ulong)change);
        public static long XnFree(XnChange* change) => Invoke(Syscall.XnFree, (ulong)change);
        public static long XnWrite(XnChange* change) => Invoke(Syscall.XnWrite, (ulong)change);
        public static long XnRead(ulong root, ulong block, ulong offset, byte* buffer, ulong length) => Invoke(Syscall.XnRead, root, block, offset, (ulong)buffer, length);
        public static long XnFetch(ulong root, ulong block) => Invoke(Syscall.XnFetch, root, block);
        public static long XnSync(ulong root) => Invoke(Syscall.XnSync, root);
        public static long XnInfo(XnInfo* info) => Invoke(Syscall.XnInfo, (ulong)info);
        public static long XnMap(ulong root, ulong block, ulong address) => Invoke(Syscall.XnMap, root, block, address);
        public static long XnEvict(ulong root, ulong block) => Invoke(Syscall.XnEvict, root, block);
        public static long XnFetchRun(ulong root, ulong first, ulong count) => Invoke(Syscall.XnFetchRun, root, first, count);
        public static long XnMove(XnChange* from, XnChange* to) => Invoke(Syscall.XnMove, (ulong)from, (ulong)to);
        public static long PredicateWait(ProgramInstruction* program, long count, ulong* words, long wordCount, ProgramReport* report = null) =>
            Invoke(Syscall.PredicateWait, (ulong)program, (ulong)count, (ulong)words, (ulong)wordCount, (ulong)report);
    }
}
