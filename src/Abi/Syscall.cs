// System call numbers: the one list, compiled into the kernel and into every user program.
// Convention: rax = number, arguments in rdi, rsi, rdx, r10, r8; result in rax (a value >= 0,
// or a negative Error). rcx and r11 are clobbered; every other register is preserved.
// "handle" arguments name a capability in the caller's table (Capability.cs); handle 0 is
// always the caller itself. docs/abi.md describes each call; tests/Unit checks that it
// names every member here with its number.
namespace ExoSharp.Abi
{
    public enum Syscall : ulong
    {
        /// <summary>ConsoleWrite(bytes, length): writes bytes to the console; returns length.</summary>
        ConsoleWrite = 0,

        /// <summary>Exit(status): ends the calling environment; does not return.</summary>
        Exit = 1,

        /// <summary>Abort(typeAddress, message, length): ends the caller as killed by an
        /// unhandled exception; message is UTF-16; does not return.</summary>
        Abort = 2,

        /// <summary>EnvId(): the caller's environment id.</summary>
        EnvId = 3,

        /// <summary>Yield(envId): gives the rest of the time slice to envId (0: to the next slot).</summary>
        Yield = 4,

        /// <summary>EnvCreate(): a new environment with an empty address space and the caller's
        /// registers (exofork); returns its handle to the caller and 0 in the child.</summary>
        EnvCreate = 5,

        /// <summary>EnvIdOf(handle): the id of the environment a handle names.</summary>
        EnvIdOf = 6,

        /// <summary>EnvSetStatus(handle, status): EnvStatus.Runnable or NotRunnable.</summary>
        EnvSetStatus = 7,

        /// <summary>EnvSetRegisters(handle, registers): sets rip, rsp, rflags and the general registers.</summary>
        EnvSetRegisters = 8,

        /// <summary>EnvDestroy(handle): ends an environment the caller holds a handle for.</summary>
        EnvDestroy = 9,

        /// <summary>FrameAlloc(frame): a physical frame (that number, or any when AnyFrame);
        /// returns a handle for it. The frame is zeroed.</summary>
        FrameAlloc = 10,

        /// <summary>FrameFree(handle): drops a frame capability and every mapping made with it.</summary>
        FrameFree = 11,

        /// <summary>PageMap(envHandle, entries, count): installs count PageMapEntry mappings in
        /// that environment, all or none; returns count.</summary>
        PageMap = 12,

        /// <summary>PageUnmap(envHandle, address, pages): removes mappings (unmapped pages are skipped).</summary>
        PageUnmap = 13,

        /// <summary>PageQuery(address, info): what the caller has mapped at address (PageInfo).</summary>
        PageQuery = 14,

        /// <summary>SetExceptionHandler(envHandle, entry, stackTop): where CPU exceptions go (0: kill).</summary>
        SetExceptionHandler = 15,

        /// <summary>SliceAlloc(envHandle, slot): gives a time slot (that one, or any when AnySlot) to an environment.</summary>
        SliceAlloc = 16,

        /// <summary>IpcWait(message): blocks until a call arrives; the IpcMessage is written to message.</summary>
        IpcWait = 17,

        /// <summary>IpcCall(envId, message): a synchronous call into envId (which must be waiting),
        /// donating the slice; blocks until the reply, which overwrites message.</summary>
        IpcCall = 18,

        /// <summary>IpcReply(envId, message, waitMessage): answers a call from envId; with
        /// waitMessage non-zero, then waits for the next call and gives the slice to envId.</summary>
        IpcReply = 19,

        /// <summary>SetSliceHandlers(envHandle, prologue, epilogue): upcalled at the start and end of
        /// each time slice (0: none). The epilogue must yield within Capability.EpilogueGraceTicks.</summary>
        SetSliceHandlers = 20,

        /// <summary>Revoke(envHandle, frames): asks that environment (by an upcall) to give back
        /// that many frames within Capability.RevokeGraceTicks; then the kernel takes them.</summary>
        Revoke = 21,

        /// <summary>EnvSetName(handle, text, length): the name the kernel's console lines use (ASCII, at most 32 bytes).</summary>
        EnvSetName = 22,

        /// <summary>FilterInstall(program, count, report): verifies a packet filter (ProgramInstruction[count])
        /// and installs it for the caller under the overlap rule; returns its id (> 0).</summary>
        FilterInstall = 23,

        /// <summary>FilterRemove(id): removes one of the caller's own filters.</summary>
        FilterRemove = 24,

        /// <summary>FilterClassify(packet, length, match): runs the merged, compiled filters over a packet
        /// from the caller's memory; returns the owning environment's id, or 0 when no filter claims it.</summary>
        FilterClassify = 25,

        /// <summary>UdfRegister(program, count, contextLength, report): verifies a UDF over a metadata block
        /// of contextLength bytes (context loads and emit allowed); returns its id (> 0).</summary>
        UdfRegister = 26,

        /// <summary>UdfRun(id, block, length, output): runs a UDF over a block from the caller's memory;
        /// the emitted records and the value go to the UdfOutput at output.</summary>
        UdfRun = 27,

        /// <summary>PredicateWait(program, count, words, wordCount, report): blocks until the predicate over
        /// those memory words of the caller's returns non-zero; returns that value.</summary>
        PredicateWait = 28,

        /// <summary>PageMapOne(envHandle, address, frameHandle, flags): PageMap of one entry passed
        /// in registers (no array in memory); returns 1.</summary>
        PageMapOne = 29,

        /// <summary>IpcCallRegisters(envId, word0, word1, word2): IpcCall with the words in
        /// registers and no frame; the reply comes back in registers (rdi = From, rsi, rdx,
        /// r10 = the words, r8 = FrameHandle, r9 = FrameFlags) with rax = 0.</summary>
        IpcCallRegisters = 30,

        /// <summary>IpcReplyRegisters(envId, word0, word1, word2, wait): IpcReply with the words in
        /// registers and no frame; wait 1: then wait for the next call, delivered in registers
        /// as for IpcWaitRegisters.</summary>
        IpcReplyRegisters = 31,

        /// <summary>IpcWaitRegisters(): IpcWait with the message delivered in registers (rdi =
        /// From, rsi, rdx, r10 = the words, r8 = FrameHandle, r9 = FrameFlags), rax = 0.</summary>
        IpcWaitRegisters = 32,
    }
}
