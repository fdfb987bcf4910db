// The processor, multiplexed by a time-slice vector: SliceCount slots, each owned by at most
// one environment. Every timer tick from user mode ends the slice and moves on to the next
// slot whose owner can run. Yield gives the rest of a slice to a named environment. An
// environment with slice handlers is upcalled at the start of each slice (prologue) and at
// its end (epilogue), where it saves its own context and must yield within a grace period:
// overstaying costs its next turn, and EpilogueStrikes overstays kill it.
// An environment blocked on a subsystem (Environment.BlockedOn: a wakeup predicate, the disk)
// runs once its Blocker says so, asked when its slot comes up or a Yield names it.
// Time slots are named by Slot capabilities (SliceAlloc gives the owning one; dropping it frees
// the slot and revokes its copies). Interrupts off throughout.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Scheduler
{
    private static readonly Environment[] s_owners = new Environment[Capability.SliceCount];
    private static readonly Account[] s_payers = new Account[Capability.SliceCount];     // who pays for each slot
    private static int s_slot;
    private static int s_limit;     // one past the highest slot with an owner: RunNext looks no further

    /// <summary>The environment whose registers the CPU holds (null while none runs); see
    /// Running for how stubs.asm's IPC fast paths change it.</summary>
    public static Environment Current
    {
        get => Running.Env;
        set => Running.Set(value);
    }

    /// <summary>Gives a slot to env, paid by Accounts.Charging (the machine's when the kernel
    /// works for nobody): that one, or the first free one for AnySlot.</summary>
    public static long Allocate(Environment env, ulong slot)
    {
        if (slot != Capability.AnySlot && slot >= (ulong)s_owners.Length) return (long)Error.BadArgument;
        Account payer = Accounts.Charging ?? Accounts.Root;
        if (!payer.MayTakeSlots(1)) return payer == Accounts.Root ? (long)Error.NoSlot : (long)Error.OverBudget;
        if (slot == Capability.AnySlot)
        {
            for (int i = 0; i < s_owners.Length; i++)
                if (s_owners[i] == null) return Take(env, i, payer);
            return (long)Error.NoSlot;
        }
        return s_owners[slot] == null ? Take(env, (int)slot, payer) : (long)Error.NoSlot;
    }

    /// <summary>Gives a slot back when env still has it (its owning capability went).</summary>
    public static void Release(Environment env, int slot)
    {
        if (slot < 0 || slot >= s_owners.Length || s_owners[slot] != env) return;
        Free(slot);
        env.Slots--;
        EnvTable.Publish(env);
    }

    /// <summary>The account paying for a time slot (null: free), for the self-check.</summary>
    public static Account PayerOf(int slot) => s_payers[slot];

    private static void Free(int slot)
    {
        s_owners[slot] = null;
        Accounts.SlotFreed(s_payers[slot]);
        s_payers[slot] = null;
        while (s_limit > 0 && s_owners[s_limit - 1] == null) s_limit--;
    }

    private static long Take(Environment env, int slot, Account payer)
    {
        s_payers[slot] = payer;
        Accounts.SlotTaken(payer);
        s_owners[slot] = env;
        if (slot >= s_limit) s_limit = slot + 1;
        env.Slots++;
        EnvTable.Publish(env);
        return slot;
    }

    public static void Forget(Environment env)
    {
        for (int i = 0; i < s_owners.Length; i++)
            if (s_owners[i] == env) Free(i);
        env.Slots = 0;
        if (Current == env) Current = null;
        if (*s_fsOwner == (ulong)env.Index) *s_fsOwner = 0;   // its bases die with it
    }

    /// <summary>Saves the registers of the current environment from a kernel entry's frame.</summary>
    public static void SaveCurrent(TrapFrame* frame)
    {
        if (Current != null) UserContext.Save(Current.Context, frame);
    }

    /// <summary>The timer ticked while the current environment ran in user mode.</summary>
    public static void Tick(TrapFrame* frame)
    {
        Environment env = Current;
        if (env.InEpilogue)
        {
            if (Pit.Ticks < env.EpilogueDeadline) return;      // still within its grace
            env.InEpilogue = false;
            env.EpilogueStrikes++;
            env.WriteLinePrefix();
            if (env.EpilogueStrikes >= Capability.EpilogueStrikes)
            {
                Console.Format("killed: overstayed its epilogue {} times\n", (ulong)env.EpilogueStrikes);
                EnvTable.Destroy(env, EnvTable.StatusKilled);
                RunNext();
            }
            Console.Format("overstayed its epilogue: it loses its next turn (strike {} of {})\n", (ulong)env.EpilogueStrikes, (ulong)Capability.EpilogueStrikes);
            env.SkipTurn = true;
            SaveCurrent(frame);
            RunNext();
        }
        if (env.EpilogueEntry != 0)
        {
            ExceptionUpcall.Outcome outcome = ExceptionUpcall.Deliver(env, frame, env.EpilogueEntry, UpcallVector.SliceEnd, 0, 0);
            if (outcome == ExceptionUpcall.Outcome.Delivered)
            {
                env.InEpilogue = true;
                env.EpilogueDeadline = Pit.Ticks + Capability.EpilogueGraceTicks;
                return;
            }
            EnvTable.Destroy(env, EnvTable.StatusKilled);
            RunNext();
        }
        SaveCurrent(frame);
        RunNext();
    }

    /// <summary>Runs target (if it can run) for the rest of this slice, else the next slot's owner.</summary>
    public static void YieldTo(TrapFrame* frame, Environment target)
    {
        SaveCurrent(frame);
        if (target != null && target.BlockedOn != null && target.Runnable && !target.BlockedOn.TryWake(target)) target = null;
        if (target != null && target.CanRun) StartSlice(target);
        RunNext();
    }

    /// <summary>Moves to the next slot with a runnable owner and runs it. Never returns;
    /// when nobody can run, the boot sequence ends what is left and powers off.</summary>
    public static void RunNext()
    {
        while (true)
        {
            bool skipped = false, sleeping = false;
            for (int step = 1, slot = s_slot; step <= s_limit; step++)
            {
                if (++slot >= s_limit) slot = 0;
                Environment owner = s_owners[slot];
                if (owner == null) continue;
                Blocker blocker = owner.BlockedOn;
                if (blocker != null && owner.Runnable && !blocker.TryWake(owner))
                {
                    sleeping |= blocker.MayWakeAlone(owner);    // time or a device can still end the wait
                    continue;
                }
                if (!owner.CanRun) continue;
                if (owner.SkipTurn)
                {
                    owner.SkipTurn = false;
                    skipped = true;
                    continue;
                }
                s_slot = slot;
                StartSlice(owner);
            }
            Current = null;
            if (skipped || sleeping)
            {
                WallClock.Idle();   // a lost turn or a predicate waiting for time: the slice goes unused
                continue;
            }
            BootSequence.NothingRunnable();
        }
    }

    /// <summary>Runs env now (IPC: the slice goes with the call). Never returns.</summary>
    public static void Switch(Environment env) => Resume(env);

    /// <summary>Gives env a slice: through its prologue when it has one. Returns only if the
    /// prologue could not be delivered (env is then gone).</summary>
    private static void StartSlice(Environment env)
    {
        if (Revocation.Undelivered(env) && env.ExceptionEntry != 0)
        {
            env.RevokeDelivered = true;
            env.Space.Activate();
            if (ExceptionUpcall.Deliver(env, env.Frame, env.ExceptionEntry, UpcallVector.Revoke, env.Repossessed->Requested, 0) != ExceptionUpcall.Outcome.Delivered)
            {
                EnvTable.Destroy(env, EnvTable.StatusKilled);
                return;
            }
            Resume(env);
        }
        if (env.PrologueEntry != 0)
        {
            env.Space.Activate();
            if (ExceptionUpcall.Deliver(env, env.Frame, env.PrologueEntry, UpcallVector.SliceStart, 0, 0) != ExceptionUpcall.Outcome.Delivered)
            {
                EnvTable.Destroy(env, EnvTable.StatusKilled);
                return;
            }
        }
        Resume(env);
    }

    private static ulong* s_currentId;
    private static ulong* s_contextEnd;
    private static ulong* s_foreignLimit;
    private static ulong* s_fsOwner;      // the index whose FS and GS bases the CPU holds (0: none)

    /// <summary>Sets env's foreign limit (ForeignSyscalls), in the cell syscall_entry reads too
    /// when env is the one running.</summary>
    public static void SetForeignLimit(Environment env, ulong limit)
    {
        env.Fast->ForeignLimit = limit;
        if (env == Current) *s_foreignLimit = limit;
    }

    /// <summary>Boot time: where stubs.asm's EnvId fast path reads the running id, and
    /// where syscall_entry reads the end of the running context (it saves into it).</summary>
    public static void Initialize(ulong currentIdCell, ulong contextEndCell, ulong currentIndexCell, ulong foreignLimitCell, ulong fsOwnerCell)
    {
        s_fsOwner = (ulong*)fsOwnerCell;
        s_foreignLimit = (ulong*)foreignLimitCell;
        s_currentId = (ulong*)currentIdCell;
        s_contextEnd = (ulong*)contextEndCell;
        Running.IndexCell = (ulong*)currentIndexCell;
    }

    private static void Resume(Environment env)
    {
        Current = env;
        *s_currentId = env.Id;
        *s_contextEnd = (ulong)(env.Context + UserContext.Size);
        *s_foreignLimit = env.Fast->ForeignLimit;
        ulong owner = *s_fsOwner;
        if (owner != (ulong)env.Index)
        {
            if (owner != 0) Cpu.SaveSegmentBases(&EnvFast.At((int)owner)->FsBase);
            Cpu.LoadSegmentBases(&env.Fast->FsBase);
            *s_fsOwner = (ulong)env.Index;
        }
        if (Cpu.ReadCr3() != env.Space.Root) env.Space.Activate();
        UserMode.Resume(env.Context);
    }
}
