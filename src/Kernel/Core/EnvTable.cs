// All environments, by table index. Creating one gives it an address space, a capability
// table and a context; destroying one takes back everything: mappings, page tables, frame
// references, time slots. A large space's page tables and capability table go back a bounded
// step a timer tick (ReapSome); the index stays reserved until its table is gone, so a slot
// reached through the derivation tree always leads to its holder (HolderAt). Interrupts off.
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class EnvTable
{
    public const int StatusKilled = PowerOff.StatusKilled;

    private static readonly Environment[] s_table = new Environment[Capability.MaxEnvironments];
    /// <summary>Each index's next generation; an index whose generation reached
    /// Capability.MaxEnvGeneration is never used again, so an id names one environment ever.</summary>
    private static readonly ulong[] s_generation = new ulong[Capability.MaxEnvironments];
    /// <summary>Each index's environment, live or ended whose capability table is still being
    /// taken apart (s_dying); an index is reused only once this is null.</summary>
    private static readonly Environment[] s_holders = new Environment[Capability.MaxEnvironments];
    private static Environment s_dying;
    private static int s_live;
    private static EnvRecord* s_records;
    private static int s_nextIndex = 1;

    public static int LiveCount => s_live;

    /// <summary>Boot time: the read-only table environments see at UserLayout.EnvTable.</summary>
    public static void Initialize(ulong recordsCell)
    {
        s_records = (EnvRecord*)KernelWindows.Allocate(UserLayout.EnvTable, (ulong)(Capability.MaxEnvironments * sizeof(EnvRecord)));
        *(ulong*)recordsCell = (ulong)s_records;       // for stubs.asm's IPC fast paths
    }

    /// <summary>Copies env's state to its row of the published table.</summary>
    public static void Publish(Environment env)
    {
        EnvRecord* r = s_records + env.Index;
        r->Id = env.Id;
        r->ParentId = env.ParentId;
        r->Status = EnvRecord.Live | (env.Runnable ? EnvRecord.Runnable : 0) |
                    (env.IpcWaitMessage != 0 ? EnvRecord.Waiting : 0) | (env.IpcCallee != 0 ? EnvRecord.Calling : 0) |
                    (env.BlockedOn != null ? env.BlockedOn.StatusBit : 0) | (env.Slots != 0 ? EnvRecord.HasSlot : 0);
        r->Callee = env.IpcCallee;
        r->ExitStatus = 0;
    }

    /// <summary>A new, not yet runnable environment paid for by account (its slot, space and
    /// tables), or null when the table, the account or memory is full.</summary>
    public static Environment Create(string name, ulong parentId, Account account)
    {
        if (!account.MayTakeEnvs(1)) return null;
        Account caller = Accounts.Charging;
        Accounts.Charging = account;
        Environment env = CreateCharged(name, parentId, account);
        Accounts.Charging = caller;
        return env;
    }

    private static Environment CreateCharged(string name, ulong parentId, Account account)
    {
        // Round robin over the indices, so that ids grow 1, 2, 3... before any is reused.
        for (int n = 1; n < s_table.Length; n++)
        {
            int i = (s_nextIndex + n - 2) % (s_table.Length - 1) + 1;
            if (s_holders[i] != null || s_generation[i] >= Capability.MaxEnvGeneration) continue;
            s_nextIndex = i % (s_table.Length - 1) + 1;
            AddressSpace space = AddressSpace.Create();
            if (space == null) return null;
            ulong* vector = Memory.AllocateZeroedFrameForEnvironment();
            if (vector == null || !space.MapReadOnlyWindow(UserLayout.RepossessionVector, Memory.PhysicalOf(vector)))
            {
                if (vector != null) Memory.FreeFrame(Memory.PhysicalOf(vector));
                space.Destroy();
                return null;
            }
            ulong id = (s_generation[i] << Capability.EnvIndexBits) | (uint)i;
            var env = new Environment(id, i, parentId, name, space, account);
            if (!env.Capabilities.Ok)
            {
                *env.Fast = default;
                UserContext.Free(env.Context);      // the raw block behind the aligned context, not the context itself
                Memory.FreeFrame(Memory.PhysicalOf(vector));
                space.Destroy();
                return null;
            }
            env.Repossessed = (RepossessionVector*)vector;
            env.RepossessedPage = Memory.PhysicalOf(vector);
            s_table[i] = env;
            s_holders[i] = env;
            Accounts.Join(account);
            s_live++;
            TimeLimit.Reset(env);
            Publish(env);
            return env;
        }
        return null;
    }

    /// <summary>Test hook (boot option capgen=near): every index's next generation starts at generation.</summary>
    public static void StartGenerationsAt(ulong generation)
    {
        for (int i = 1; i < s_generation.Length; i++) s_generation[i] = generation;
    }

    /// <summary>Ends every environment (none can run): each gets a console line.</summary>
    public static void DestroyAll()
    {
        for (int i = 1; i < s_table.Length; i++)
        {
            Environment env = s_table[i];
            if (env == null) continue;
            env.WriteLinePrefix();
            if (env.BlockedOn != null)
            {
                Console.Write("destroyed: ");
                Console.Write(env.BlockedOn.Stuck);
                Console.WriteLine(" (nobody else can run)");
            }
            else Console.WriteLine(env.IpcWaitMessage != 0 || env.IpcCallee != 0 ? "destroyed: blocked in IPC with nobody left to wake it"
                : !env.Runnable ? "destroyed: never made runnable" : "destroyed: it has no time slot");
            Destroy(env, StatusKilled);
        }
    }

    /// <summary>Calls action for every live environment.</summary>
    public static void ForEach(delegate*<Environment, Environment, void> action, Environment argument)
    {
        for (int i = 1; i < s_table.Length; i++)
            if (s_table[i] != null) action(s_table[i], argument);
    }

    /// <summary>The environment at a table index (1 and up), or null (also for index 0).</summary>
    public static Environment AtIndex(int index) => s_table[index];

    /// <summary>Whose capability table the index's chunks are: the live environment, or an
    /// ended one whose table is still being taken apart (Ended); null when neither.</summary>
    public static Environment HolderAt(int index) => s_holders[index];

    /// <summary>Capability-table slots (or children moved, or chunks) a reaping step takes.</summary>
    public const int ReapPerStep = 256;

    /// <summary>Slots (or page tables) a system call's entry reaps while something is left, so
    /// reclaiming keeps pace with a busy system, not only with the clock (under -icount a
    /// tick is ten million instructions, several forks and exits).</summary>
    public const int ReapPerCall = 32;

    /// <summary>Every timer tick, and before memory is refused to an environment: one bounded
    /// step of what ended environments still hold (their capability tables, then their page
    /// tables: AddressSpace.ReapSome).</summary>
    public static void ReapSome() => ReapSome(ReapPerStep);

    /// <summary>A step of budget units (a system call's entry: ReapPerCall).</summary>
    public static void ReapSome(int budget)
    {
        int tables = budget < AddressSpace.ReapPerStep ? budget : AddressSpace.ReapPerStep;
        while (s_dying != null && budget > 0)
        {
            Environment env = s_dying;
            if (!env.Capabilities.DisposeSome(ref budget)) break;
            s_dying = env.NextDying;
            Release(env);
        }
        AddressSpace.ReapSome(tables);
        PendingWork.Reap = s_dying != null || AddressSpace.Reaping;
    }

    /// <summary>An ended environment's table is gone: its index may be reused, its account
    /// gets the slot back.</summary>
    private static void Release(Environment env)
    {
        s_holders[env.Index] = null;
        Accounts.Leave(env.Account);
    }

    public static Environment Find(ulong id)
    {
        ulong index = id & ((1UL << Capability.EnvIndexBits) - 1);
        if (index == 0 || index >= (ulong)s_table.Length) return null;
        Environment env = s_table[index];
        return env != null && env.Id == id ? env : null;
    }

    /// <summary>Takes everything back from an environment. status: its exit status, or
    /// StatusKilled. Precondition: the caller printed the line saying why it ended.</summary>
    public static void Destroy(Environment env, int status)
    {
        Scheduler.Forget(env);
        Ipc.Forget(env);
        Subsystems.ReleaseAll(env);
        if (Cpu.ReadCr3() == env.Space.Root) Cpu.WriteCr3(Memory.KernelRoot);
        env.Space.Destroy();
        env.Ended = true;
        env.Capabilities.BeginDispose();
        int budget = ReapPerStep;
        if (env.Capabilities.DisposeSome(ref budget)) Release(env);
        else
        {
            env.NextDying = s_dying;
            s_dying = env;
        }
        PendingWork.Reap = s_dying != null || AddressSpace.Reaping;
        Memory.FreeFrame(env.RepossessedPage);
        Revocation.Forget(env);
        UserContext.Free(env.Context);
        s_table[env.Index] = null;
        *env.Fast = default;            // Id 0: the fast paths no longer find it
        EnvRecord* record = s_records + env.Index;
        record->Status = EnvRecord.Ended;
        record->Callee = 0;
        record->ExitStatus = (ulong)status;
        s_generation[env.Index]++;
        s_live--;
    }
}
