// System call numbers: the one list, compiled into the kernel and into every user program.
// Convention: rax = number, arguments in rdi, rsi, rdx, r10, r8; result in rax (a value >= 0,
// or a negative Error). rcx and r11 are clobbered, xmm0-15 (low halves) may come back zeroed;
// every other register is preserved.
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

        /// <summary>Abort(reason, length): ends the caller as killed, with reason (text, at most
        /// UserLayout.MaxConsoleWrite bytes) in the kill line; does not return.</summary>
        Abort = 2,

        /// <summary>EnvId(): the caller's environment id.</summary>
        EnvId = 3,

        /// <summary>Yield(envId): gives the rest of the time slice to envId (0: to the next slot).</summary>
        Yield = 4,

        /// <summary>EnvCreate(limits): a new environment with an empty address space and the
        /// caller's registers (exofork); returns its handle to the caller and 0 in the child. limits
        /// 0: it spends from the caller's account; otherwise from an account of its own with the
        /// AccountLimits there, taken whole from the caller's.</summary>
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
        /// and installs it for the caller under the overlap rule; returns a Filter capability's
        /// handle (the filter's id goes into the report).</summary>
        FilterInstall = 23,

        /// <summary>FilterRemove(handle): removes the filter a Filter capability names, and that capability.</summary>
        FilterRemove = 24,

        /// <summary>FilterClassify(packet, length, match): runs the merged, compiled filters over a packet
        /// from the caller's memory; returns the owning environment's id, or 0 when no filter claims it.</summary>
        FilterClassify = 25,

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

        /// <summary>RingAttach(handle, kind, address, slots): makes slots PacketRing slots of the
        /// memory of the environment handle names (0: the caller) at address (page aligned,
        /// mapped writable) its receive or transmit ring
        /// (PacketRing.Receive or Transmit), replacing the one it had; slots 0 detaches.
        /// The kernel holds the ring's frames until the ring goes.</summary>
        RingAttach = 33,

        /// <summary>NetTransmit(handle): sends the frames waiting in the transmit ring of the
        /// environment handle names (0: the caller), from the
        /// kernel's position on, until an empty slot; each slot gets its Status (0 sent, or an
        /// Error such as Spoofed) and is emptied. Returns how many slots it took.</summary>
        NetTransmit = 34,

        /// <summary>NetInfo(info): the network card's address and the kernel's counters (NetInfo).</summary>
        NetInfo = 35,

        /// <summary>XnTemplate(program, count, report): registers an owns UDF (ProgramInstruction[count])
        /// as a new metadata type of the disk (docs/xn.md); returns the type (1-15).</summary>
        XnTemplate = 36,

        /// <summary>XnRootCreate(name, length, key, block, type): makes the free block a new root of that
        /// type named name, opened by key (non-zero). Returns the caller's XnRoot capability for it (Write).</summary>
        XnRootCreate = 37,

        /// <summary>XnRootOpen(name, length, key, block): when key is the root's key, returns a new XnRoot
        /// capability (Write) for it and writes the root's block (a ulong) at block (0: not wanted).</summary>
        XnRootOpen = 38,

        /// <summary>XnAlloc(change): allocates XnChange.First..+Count of XnChange.Type as children of
        /// XnChange.Block by applying the change to it (checked by its owns UDF); XnChange.Root names
        /// the block's root (an XnRoot capability with Write), as for XnFree, XnWrite and XnMove.</summary>
        XnAlloc = 39,

        /// <summary>XnFree(change): frees First..+Count, children of Block, by applying the change.</summary>
        XnFree = 40,

        /// <summary>XnWrite(change): writes bytes into a block in core: a data block freely, a metadata
        /// block only if its owns UDF names the same blocks after as before.</summary>
        XnWrite = 41,

        /// <summary>XnRead(root, block, offset, buffer, length): copies from a block in core under the root
        /// the XnRoot capability root names.</summary>
        XnRead = 42,

        /// <summary>XnFetch(root, block): brings a block under root (an XnRoot capability) into core; blocks
        /// until it is there.</summary>
        XnFetch = 43,

        /// <summary>XnSync(root): writes every block that may be written, in XN's order, and blocks until
        /// the disk holds XN's own blocks and the root the XnRoot capability root names (0: none):
        /// nothing of them dirty or in flight.</summary>
        XnSync = 44,

        /// <summary>XnInfo(info): the disk's size and XN's counters (XnInfo).</summary>
        XnInfo = 45,

        /// <summary>XnMap(root, block, address): maps the page caching a block under root (an XnRoot
        /// capability) read-only at address (a free page of its space) until the block leaves the cache.</summary>
        XnMap = 46,

        /// <summary>XnEvict(root, block): drops a clean block under root (an XnRoot capability) from the
        /// cache (the library's caching policy); its mappings go with it.</summary>
        XnEvict = 47,

        /// <summary>MachineStatus(machine, status): the status (0-126) the machine powers off with
        /// when no environment is left; machine: a machine capability (BootDirectory.Machine).</summary>
        MachineStatus = 48,

        /// <summary>EnvSetExtendedState(envHandle, area, length): replaces that environment's saved
        /// x87/SSE/AVX state (0: the caller's own, loaded as the call returns) with length bytes at
        /// area, in the format XSAVE writes (FXSAVE's where the CPU has no XSAVE), once the
        /// kernel has checked its header and MXCSR.</summary>
        EnvSetExtendedState = 49,

        /// <summary>CapDrop(handle): removes a capability of any type from the caller's table (a frame's
        /// mappings go with it, as for FrameFree; an environment capability leaves the environment be).</summary>
        CapDrop = 50,

        /// <summary>CapMint(handle, rights, badge): a new capability in the caller's table derived from
        /// handle (0: the caller itself) with those CapabilityRights (a subset of the source's) and
        /// badge (0: the source's; a badge once set stays); returns its handle.</summary>
        CapMint = 51,

        /// <summary>CapRevoke(handle): removes every capability derived from handle's (0: from the caller
        /// itself), in every environment's table, keeping handle's own; returns how many went.</summary>
        CapRevoke = 52,

        /// <summary>PageMapRange(env, address, count, handles, flags): maps count consecutive pages
        /// from address, page i to the frame handles[i] names, all with flags; all or none.</summary>
        PageMapRange = 53,

        /// <summary>ForeignSyscalls(envHandle, limit): from now on a `syscall` instruction that
        /// environment runs from code below limit (its return address at most limit) is not a
        /// system call: the kernel delivers it untouched to the exception handler as an
        /// UpcallVector.ForeignSyscall upcall; 0 turns it off. For a library OS that runs foreign
        /// binaries (Linux's) in its own space. Children made by EnvCreate inherit it.</summary>
        ForeignSyscalls = 54,

        /// <summary>KernelCheck(info): the kernel checks its memory bookkeeping and returns how many
        /// violations it found (0: none), filling a KernelCheckInfo at info when it is non-zero;
        /// NoSuchCall unless booted with selfcheck=on (tests only).</summary>
        KernelCheck = 55,

        /// <summary>XnMove(from, to): moves the block pointers from.Block's change drops to to.Block,
        /// whose change must add exactly them (XnChange each; First, Count, Type unused; from.Root names
        /// the root both are under), each checked by its block's owns UDF; exactly one parent names them
        /// on disk at every crash point.</summary>
        XnMove = 56,

        /// <summary>ConsoleAttach(console, address): bytes received on the console's serial line go,
        /// from now on, into the ConsoleRing in the caller's page at address (page aligned, mapped
        /// writable), replacing whichever ring had them; console: a console capability
        /// (BootDirectory.Console). address 0 detaches the caller's ring.</summary>
        ConsoleAttach = 57,

        /// <summary>AccountInfo(info): fills an AccountInfo at info with the limits and use of the
        /// account that pays for the caller.</summary>
        AccountInfo = 58,

        /// <summary>PageShare(envHandle, address, pages, mark): maps the caller's own pages of that
        /// range into the environment, the same frames, read-only; a page that is writable or
        /// carries a bit of mark (PageFlags.Available bits) gets mark there, and a writable one
        /// becomes read-only with mark in the caller too (copy-on-write in both). At most
        /// Capability.SharePerCall pages a call: 0 when done, else how many pages it went through.</summary>
        PageShare = 59,

        /// <summary>XnFetchRun(root, first, count): XnFetch for each of the count (1-32) blocks from first,
        /// each checked as XnFetch checks one, stopping at the first that cannot be read; blocks until
        /// every block started is in core; returns how many from first on are.</summary>
        XnFetchRun = 60,
    }
}
