// A budget of kernel resources that environments spend: frames (their own, their page tables,
// their capability tables' chunks, their repossession vectors), environment slots and time
// slots. An
// account's limits are charged, whole, to its parent account when it opens (a reservation), so
// what an account may spend always exists unless the kernel's own memory outgrew its reserve;
// the limits go back to the parent when the account is empty and none of its environments is
// left. Interrupts off. Missing: filters, code pages, rings and XN's tables.
namespace ExoSharp.Kernel.Core;

internal sealed class Account
{
    /// <summary>Its number (1 and up), by which a frame names the account that pays for it.</summary>
    public readonly int Index;

    /// <summary>Holds this account's limits as spent (null: the machine's account).</summary>
    public readonly Account Parent;

    public readonly ulong FrameLimit;
    public readonly uint EnvLimit;
    public readonly uint SlotLimit;

    /// <summary>Frames paid for, plus the frame limits of open child accounts.</summary>
    public ulong FramesUsed;

    /// <summary>Environment slots held (live, or ended with their tables still being taken
    /// apart), plus the environment limits of open child accounts.</summary>
    public uint EnvsUsed;

    /// <summary>Time slots held by environments it pays for, plus child accounts' limits.</summary>
    public uint SlotsUsed;

    /// <summary>Environments charged to it (whose Account it is) whose slots are still held.</summary>
    public uint Members;

    public Account(int index, Account parent, ulong frameLimit, uint envLimit, uint slotLimit)
    {
        Index = index;
        Parent = parent;
        FrameLimit = frameLimit;
        EnvLimit = envLimit;
        SlotLimit = slotLimit;
    }

    public bool MayTakeFrames(ulong count) => FramesUsed + count <= FrameLimit;

    public bool MayTakeEnvs(uint count) => EnvsUsed + count <= EnvLimit;

    public bool MayTakeSlots(uint count) => SlotsUsed + count <= SlotLimit;
}
