// Who pays for what (docs/abi.md, "Accounting"): every frame given to an environment's use
// names the account that paid for it (a 16-bit number per frame), so freeing it credits that
// account wherever the frame went meanwhile (IPC, another table). Charging is the account the
// kernel is working for: the calling environment's at every system call, the child's own while
// EnvCreate builds it, none (the kernel's) in the timer path. Interrupts off.
using System.Runtime.InteropServices;
using ExoSharp.Abi;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Accounts
{
    // No static initialisers (Initialize sets everything): Charging is written at every system
    // call, and a class with one pays a static-constructor check at each access.
    private static Account[] s_table;
    private static ushort* s_payer;         // per frame: the paying account's index, 0 for the kernel
    private static ulong s_frames;
    private static int s_next;

    /// <summary>The machine's account: every frame environments may take, every slot.</summary>
    public static Account Root;

    /// <summary>The account frames allocated for an environment are charged to (null: the kernel's own).</summary>
    public static Account Charging;

    private static bool s_open;

    /// <summary>Boot time, once the allocator knows the frames.</summary>
    public static void Initialize(ulong frames)
    {
        s_frames = frames;
        s_payer = (ushort*)NativeMemory.AllocZeroed((nuint)(frames * 2));
        s_table = new Account[Capability.MaxEnvironments];
        s_next = 1;
    }

    /// <summary>End of boot, before the first program: the machine's account gets every frame
    /// then free but the kernel's reserve. From now on the kernel's own frames (heap growth, its
    /// tables) are charged to it too, so accounts never promise more frames than exist while the
    /// kernel's own growth stays within the reserve.</summary>
    public static void OpenMachine(ulong freeFrames)
    {
        ulong limit = freeFrames > FrameTable.KernelReserve ? freeFrames - FrameTable.KernelReserve : 0;
        Root = new Account(s_next, null, limit, Capability.MaxEnvironments - 1, Capability.SliceCount);
        s_table[s_next++] = Root;
        s_open = true;
    }

    /// <summary>May Charging take count more frames? (Always, for the kernel's own needs.)</summary>
    public static bool MayTake(ulong count) => Charging == null || Charging.MayTakeFrames(count);

    /// <summary>The error for an account that cannot pay: NoMemory when it is the machine's (the
    /// machine has nothing left for environments), OverBudget for a delegated account.</summary>
    public static long Refusal(Account account) => account == Root ? (long)Error.NoMemory : (long)Error.OverBudget;

    /// <summary>frame was just allocated for an environment: Charging pays for it (the
    /// machine's account when the kernel works for nobody). Precondition: MayTake(1).</summary>
    public static void Charge(ulong frame) => ChargeTo(Charging ?? Root, frame);

    /// <summary>frame was just allocated for the kernel's own use: the machine's account pays.</summary>
    public static void ChargeKernel(ulong frame) => ChargeTo(Root, frame);

    private static void ChargeTo(Account account, ulong frame)
    {
        if (!s_open || frame >= s_frames) return;
        account.FramesUsed++;
        s_payer[frame] = (ushort)account.Index;
    }

    /// <summary>frame goes back to the allocator: its payer is credited.</summary>
    public static void Freed(ulong frame)
    {
        if (frame >= s_frames || s_payer[frame] == 0) return;
        Account account = s_table[s_payer[frame]];
        s_payer[frame] = 0;
        account.FramesUsed--;
        CloseIfDone(account);
    }

    /// <summary>The account with that number, or null (the self-check's walk).</summary>
    public static Account At(int index) => index > 0 && index < s_table.Length ? s_table[index] : null;

    /// <summary>The number of the account that paid for a frame (0: the kernel's, before boot ended).</summary>
    public static int PayerOf(ulong frame) => frame < s_frames ? s_payer[frame] : 0;

    /// <summary>A child account of parent with these limits, charged to it whole, held open
    /// (one Members count) until Unpin, so that frames freed while its first environment is
    /// made cannot close it; null when parent cannot spare them or no account number is free.</summary>
    public static Account Open(Account parent, ulong frames, uint envs, uint slots)
    {
        if (!parent.MayTakeFrames(frames) || !parent.MayTakeEnvs(envs) || !parent.MayTakeSlots(slots)) return null;
        for (int n = 0; n < s_table.Length - 1; n++)
        {
            int i = (s_next + n - 1) % (s_table.Length - 1) + 1;
            if (s_table[i] != null) continue;
            s_next = i % (s_table.Length - 1) + 1;
            var account = new Account(i, parent, frames, envs, slots) { Members = 1 };
            s_table[i] = account;
            parent.FramesUsed += frames;
            parent.EnvsUsed += envs;
            parent.SlotsUsed += slots;
            return account;
        }
        return null;
    }

    /// <summary>A time slot was given: account pays for it until SlotFreed. Precondition: MayTakeSlots(1).</summary>
    public static void SlotTaken(Account account) => account.SlotsUsed++;

    public static void SlotFreed(Account account)
    {
        account.SlotsUsed--;
        CloseIfDone(account);
    }

    /// <summary>Open's hold is over (its environment made, or not).</summary>
    public static void Unpin(Account account)
    {
        account.Members--;
        CloseIfDone(account);
    }

    /// <summary>An environment slot is taken for an environment charged to account.
    /// Precondition: account.MayTakeEnvs(1).</summary>
    public static void Join(Account account)
    {
        account.EnvsUsed++;
        account.Members++;
    }

    /// <summary>The slot of an environment charged to account is free again.</summary>
    public static void Leave(Account account)
    {
        account.EnvsUsed--;
        account.Members--;
        CloseIfDone(account);
    }

    /// <summary>Closes an account nobody uses (no environment, nothing paid for, no open child),
    /// giving its limits back to its parent, and so on up.</summary>
    public static void CloseIfDone(Account account)
    {
        while (account != Root && account.Members == 0 && account.FramesUsed == 0 && account.EnvsUsed == 0 &&
               account.SlotsUsed == 0 && s_table[account.Index] == account)
        {
            Account parent = account.Parent;
            parent.FramesUsed -= account.FrameLimit;
            parent.EnvsUsed -= account.EnvLimit;
            parent.SlotsUsed -= account.SlotLimit;
            s_table[account.Index] = null;
            account = parent;
        }
    }
}
