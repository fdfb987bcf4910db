// Error codes returned (negated) by system calls: the one list, shared by kernel and user.
// docs/abi.md describes each; tests/Unit checks that it names every member here.
namespace ExoSharp.Abi
{
    public enum Error : long
    {
        /// <summary>No such system call number.</summary>
        NoSuchCall = -1,

        /// <summary>A pointer argument is outside user space, non-canonical, or not mapped for the access.</summary>
        BadAddress = -2,

        /// <summary>A length or count argument is negative or too large.</summary>
        BadLength = -3,

        /// <summary>The handle names no capability of the right type in the caller's table (forged, stale or freed).</summary>
        BadHandle = -4,

        /// <summary>The capability lacks the right the operation needs (e.g. mapping a read-only frame writable).</summary>
        NoRights = -5,

        /// <summary>No free frame, or the frame asked for is not free.</summary>
        NoMemory = -6,

        /// <summary>The environment does not exist (or no longer does).</summary>
        NoSuchEnv = -7,

        /// <summary>A flag, status, alignment or other argument is not allowed.</summary>
        BadArgument = -8,

        /// <summary>The time slot asked for is taken, or every slot is.</summary>
        NoSlot = -9,

        /// <summary>A fixed-size kernel table is full (environments, capabilities).</summary>
        TableFull = -10,

        /// <summary>IpcCall: the environment is not waiting for a call (try again later).</summary>
        NotReceiving = -11,

        /// <summary>IpcReply: the environment is not blocked in a call to the caller.</summary>
        NotCalling = -12,

        /// <summary>The verifier refused a downloaded program (the ProgramReport names the rule and instruction).</summary>
        ProgramRefused = -13,

        /// <summary>FilterInstall: the filter may accept packets another environment's filter accepts.</summary>
        Overlap = -14,

        /// <summary>The program (filter), or the XN root a disk block belongs to, belongs to another environment.</summary>
        NotOwner = -15,

        /// <summary>No filter or UDF has that id (never had, or it was removed).</summary>
        NoSuchProgram = -16,

        /// <summary>The machine has no such device (for example no network card).</summary>
        NoDevice = -17,

        /// <summary>NetTransmit: the frame's addresses are not the sender's own (PacketRing's anti-spoofing rule).</summary>
        Spoofed = -18,

        /// <summary>XN: a block number outside the disk or inside XN's own area (an argument or a UDF's record).</summary>
        NoSuchBlock = -19,

        /// <summary>XN: the block is allocated (or would be pointed to twice), or a freed metadata block still owns blocks.</summary>
        BlockInUse = -20,

        /// <summary>XN: the block was freed but the parent without the pointer has not reached the disk yet.</summary>
        FreePending = -21,

        /// <summary>XN: no template has that type, or its template has not reached the disk yet.</summary>
        NoSuchType = -22,

        /// <summary>XN: the block is not in the buffer cache (fetch it first), or a transfer of it is under way.</summary>
        NotInCore = -23,

        /// <summary>XN: the block holds nothing of the caller's on disk (never initialised, or free): it cannot be read.</summary>
        Uninitialised = -24,

        /// <summary>XN: after the change the owns UDF names a block the operation did not claim (a forged pointer).</summary>
        ForgedPointer = -25,

        /// <summary>XN: after the change the owns UDF no longer names a block the operation did not free, or hides the one claimed.</summary>
        LostPointer = -26,

        /// <summary>XN: a UDF refused as a template: it claims blocks in an all-zero block, or its records are malformed.</summary>
        UdfLied = -27,

        /// <summary>XN: a UDF is longer or may emit more than XN's budget for one metadata block.</summary>
        OverBudget = -28,

        /// <summary>XN: the block is tainted (a child it points to has not reached the disk) and cannot be written yet.</summary>
        Tainted = -29,

        /// <summary>IpcCall: the receiver dropped the call unanswered (dropped its reply capability, or took another call first).</summary>
        CallDropped = -30,
    }
}
