// One environment: an address space, a capability table, saved registers and where its
// CPU exceptions go. Ids are (generation << 12) | table index, so a dead environment's id
// is never valid again. Created by EnvTable, scheduled by Scheduler.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal sealed unsafe class Environment
{
    public readonly ulong Id;
    public readonly int Index;
    public readonly ulong ParentId;
    public string Name;
    public readonly AddressSpace Space;
    public readonly CapabilityTable Capabilities;

    /// <summary>Pays for its frames, its tables and its slot (Accounts).</summary>
    public readonly Account Account;
    public readonly byte* Context;

    /// <summary>Set when it ends (EnvTable.Destroy); its capability table may still be being
    /// taken apart (the next such environment: NextDying).</summary>
    public bool Ended;
    public Environment NextDying;
    private bool _runnable;
    public bool Runnable { get => _runnable; set { _runnable = value; UpdateHold(); } }

    /// <summary>How many time slots it owns (Scheduler keeps this).</summary>
    public int Slots;
    public ulong ExceptionEntry;
    public ulong ExceptionStackTop;

    /// <summary>Slice upcalls (0: none), and the epilogue's state: running since, strikes, a lost turn.</summary>
    private ulong _prologueEntry;
    public ulong PrologueEntry { get => _prologueEntry; set { _prologueEntry = value; UpdateHold(); } }
    public ulong EpilogueEntry;
    public bool InEpilogue { get => Fast->InEpilogue != 0; set => Fast->InEpilogue = value ? 1UL : 0; }
    public ulong EpilogueDeadline;
    public int EpilogueStrikes;
    public bool SkipTurn;

    /// <summary>Visible revocation: the vector the environment reads (kernel-owned page),
    /// and the pending request: frames held when asked, the deadline, whether it was told.</summary>
    public RepossessionVector* Repossessed;
    public ulong RepossessedPage;
    public int RevokeBaseline;
    public ulong RevokeDeadline;
    private bool _revokeDelivered;
    public bool RevokeDelivered { get => _revokeDelivered; set { _revokeDelivered = value; UpdateHold(); } }
    /// <summary>Frames still to take by force (Revocation, a bounded number a tick), and the
    /// capability slot the walk down the table has reached; the environment waits meanwhile.</summary>
    private int _repossessLeft;
    public int RepossessLeft { get => _repossessLeft; set { _repossessLeft = value; UpdateHold(); } }
    public int RepossessBelow;

    /// <summary>Its row of the table stubs.asm's IPC fast paths share (EnvFast).</summary>
    public readonly EnvFast* Fast;

    /// <summary>In IpcWait: where the next call's message goes (0: not waiting).</summary>
    public ulong IpcWaitMessage { get => Fast->WaitPlace; set => Fast->WaitPlace = value; }

    /// <summary>In IpcCall: the environment called (0: not calling) and where the reply goes.</summary>
    public ulong IpcCallee { get => Fast->Callee; set => Fast->Callee = value; }
    public ulong IpcReplyMessage { get => Fast->ReplyPlace; set => Fast->ReplyPlace = value; }

    /// <summary>Waiting on a subsystem (a wakeup predicate, the disk; null: not), which the
    /// scheduler asks before running it.</summary>
    private Blocker _blockedOn;
    public Blocker BlockedOn { get => _blockedOn; set { _blockedOn = value; UpdateHold(); } }

    /// <summary>Can the scheduler give it the processor?</summary>
    public bool CanRun => Runnable && IpcWaitMessage == 0 && IpcCallee == 0 && BlockedOn == null && RepossessLeft == 0;

    /// <summary>Recomputes EnvFast.Hold from the fields it sums up (their setters call this;
    /// Revocation too, after it writes the vector's Requested): 0 exactly when a directed Yield
    /// may run this environment at once without C# (stubs.asm's yield_fast), that is when
    /// Scheduler.YieldTo would go straight to Resume: runnable, not blocked on a subsystem,
    /// nothing to repossess, no prologue, no revocation to deliver (and, which stubs.asm reads
    /// itself, not in IPC).</summary>
    public void UpdateHold()
    {
        if (Fast == null) return;       // the constructor, before its row is set
        ulong hold = 0;
        if (!_runnable) hold |= EnvFast.HoldNotRunnable;
        if (_blockedOn != null) hold |= EnvFast.HoldBlocked;
        if (_repossessLeft != 0) hold |= EnvFast.HoldRepossessing;
        if (_prologueEntry != 0) hold |= EnvFast.HoldPrologue;
        if (Repossessed != null && Repossessed->Requested != 0 && !_revokeDelivered) hold |= EnvFast.HoldRevocation;
        Fast->Hold = hold;
    }

    public Environment(ulong id, int index, ulong parentId, string name, AddressSpace space, Account account)
    {
        Account = account;
        Id = id;
        Index = index;
        ParentId = parentId;
        Name = name;
        Space = space;
        Capabilities = new CapabilityTable(id, index);
        Context = UserContext.Allocate();
        Fast = EnvFast.At(index);
        *Fast = default;
        Fast->ContextEnd = (ulong)(Context + UserContext.Size);
        Fast->Root = space.Root;
        Capabilities.Publish(Fast);
        Fast->Pml4 = space.Pml4;
        Fast->Id = id;
        UpdateHold();
    }

    public TrapFrame* Frame => UserContext.Frame(Context);

    /// <summary>Starts a console line about this environment: "kernel: env 1 (hello) ".</summary>
    public void WriteLinePrefix()
    {
        Console.Format("kernel: env {} (", Id);
        Console.Write(Name);
        Console.Write(") ");
    }
}
