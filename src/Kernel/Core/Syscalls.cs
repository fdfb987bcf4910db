// The system call dispatcher, entered from syscall_entry (stubs.asm) with interrupts off and
// the caller's registers in a TrapFrame (rax = number; rdi, rsi, rdx, r10, r8 = arguments;
// the result goes back in rax). Every argument is checked; a bad one returns a negative
// Abi.Error, never a kernel fault. Calls that end or switch environments do not return.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

[SkipLocalsInit]
internal static unsafe class Syscalls
{
    [RuntimeExport("ExoSharpSyscall")]
    public static void Entry(TrapFrame* frame)
    {
        Running.Sync();
        if (PendingWork.GcStress) Collector.AtSystemCall();
        if (PendingWork.Reap) EnvTable.ReapSome(EnvTable.ReapPerCall);
        Environment env = Running.Env;
        if (Accounts.Charging != env.Account) Accounts.Charging = env.Account;  // no write barrier when it stays
        frame->Rax = (ulong)Dispatch(env, frame);
    }

    /// <summary>A call from the running environment's foreign code (syscall_entry saw its
    /// return address at or below the environment's foreign limit): an upcall.</summary>
    [RuntimeExport("ExoSharpForeignSyscall")]
    public static void ForeignEntry(TrapFrame* frame)
    {
        Running.Sync();
        if (PendingWork.GcStress) Collector.AtSystemCall();
        ForeignSyscall.Deliver(Running.Env, frame);
    }

    /// <summary>One case per call, each only a call with the arguments it reads from the
    /// frame (rdi, rsi, rdx, r10, r8), so the switch itself keeps nothing live.</summary>
    private static long Dispatch(Environment env, TrapFrame* frame)
    {
        switch ((Syscall)frame->Rax)
        {
            case Syscall.ConsoleWrite: return ConsoleWrite(env, frame->Rdi, frame->Rsi);
            case Syscall.Exit: Exit(env, (long)frame->Rdi); return 0;
            case Syscall.Abort: Abort(env, frame->Rdi, frame->Rsi); return 0;
            case Syscall.EnvId: return (long)env.Id;
            case Syscall.Yield: return Yield(env, frame, frame->Rdi);
            case Syscall.EnvCreate: return EnvCreate(env, frame);
            case Syscall.EnvIdOf: return EnvIdOf(env, frame->Rdi);
            case Syscall.FrameAlloc: return Mappings.AllocateFrame(env, frame->Rdi);
            case Syscall.FrameFree: return Mappings.FreeFrame(env, frame->Rdi);
            case Syscall.PageQuery: return PageQuery(env, frame->Rdi, frame->Rsi);
            case Syscall.MachineStatus: return PowerOff.SetStatus(env, frame->Rdi, frame->Rsi);
            case Syscall.CapDrop: return Authority.Drop(env, frame->Rdi);
            case Syscall.CapMint: return Authority.Mint(env, frame->Rdi, frame->Rsi, frame->Rdx);
            case Syscall.CapRevoke: return Authority.Revoke(env, frame->Rdi);
            case Syscall.IpcWait: return Ipc.Wait(env, frame, frame->Rdi);
            case Syscall.IpcCall: return Ipc.Call(env, frame, frame->Rdi, frame->Rsi);
            case Syscall.IpcReply: return Ipc.Reply(env, frame, frame->Rdi, frame->Rsi, frame->Rdx);
            case Syscall.IpcCallRegisters: return IpcCallRegisters(env, frame);
            case Syscall.IpcReplyRegisters: return IpcReplyRegisters(env, frame);
            case Syscall.IpcWaitRegisters: return Ipc.WaitRegisters(env, frame);
            case Syscall.AccountInfo: return AccountQuery(env, frame->Rdi);
            case Syscall.ForeignSyscalls:
            case Syscall.EnvSetStatus:
            case Syscall.EnvSetRegisters:
            case Syscall.EnvSetExtendedState:
            case Syscall.EnvDestroy:
            case Syscall.EnvSetName:
            case Syscall.PageMapRange:
            case Syscall.PageMapOne:
            case Syscall.PageShare:
            case Syscall.PageUnmap:
            case Syscall.SetExceptionHandler:
            case Syscall.SliceAlloc:
            case Syscall.SetSliceHandlers:
            case Syscall.Revoke:
                return TargetedCall(env, frame);
            default: return SubsystemCall(env, frame);
        }
    }

    /// <summary>The calls that act on the environment an environment handle in rdi names
    /// (Capability.Self: the caller; any other needs the Control right): the handle is checked
    /// here, before any other argument, and each case passes the rest on.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long TargetedCall(Environment env, TrapFrame* frame)
    {
        Environment target = Target(env, frame->Rdi, out long error);
        if (target == null) return error;
        ulong a1 = frame->Rsi, a2 = frame->Rdx, a3 = frame->R10;
        switch ((Syscall)frame->Rax)
        {
            case Syscall.ForeignSyscalls: return ForeignSyscall.Set(target, a1);
            case Syscall.EnvSetStatus: return EnvSetStatus(env, frame, target, a1);
            case Syscall.EnvSetRegisters: return EnvSetRegisters(env, target, a1);
            case Syscall.EnvSetExtendedState: return EnvSetExtendedState(env, target, a1, a2);
            case Syscall.EnvDestroy: return EnvDestroy(env, target);
            case Syscall.EnvSetName: return EnvSetName(env, target, a1, a2);
            case Syscall.PageMapRange: return PageMapRange(env, target, a1, a2, a3, frame->R8);
            case Syscall.PageMapOne: return Mappings.MapOne(env, target, a1, a2, a3);
            case Syscall.PageShare: return Mappings.Share(env, target, a1, a2, a3);
            case Syscall.PageUnmap: return Mappings.Unmap(target, a1, a2);
            case Syscall.SliceAlloc: return SliceAlloc(env, target, frame->Rdi, a1);
            case Syscall.Revoke: return Revocation.Request(target, a1);
            case Syscall.SetExceptionHandler:
                UpcallCache.Invalidate();
                target.ExceptionEntry = a1;
                target.ExceptionStackTop = a2;
                return 0;
            case Syscall.SetSliceHandlers:
                target.PrologueEntry = a1;
                target.EpilogueEntry = a2;
                return 0;
            default: return (long)Error.NoSuchCall;     // never: Dispatch sends only the calls above
        }
    }

    /// <summary>The environment an environment handle names (Capability.Self: the caller; any
    /// other needs the Control right), or null with the error (also the network's rings').</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Environment Target(Environment env, ulong handle, out long error)
    {
        error = 0;
        if (handle == Capability.Self) return env;
        CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Environment);
        Environment target = slot == null ? null : EnvTable.Find(slot->Object);
        if (slot == null) error = (long)Error.BadHandle;
        else if ((slot->Rights & CapabilityRights.Control) == 0) error = (long)Error.NoRights;
        else if (target == null) error = (long)Error.NoSuchEnv;
        return error == 0 ? target : null;
    }

    /// <summary>The executive's, the network's and XN's calls.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long SubsystemCall(Environment env, TrapFrame* frame) =>
        Subsystems.Call(env, frame, frame->Rax, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10, frame->R8);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Yield(Environment env, TrapFrame* frame, ulong handle)
    {
        Environment to = null;
        if (handle != 0)
        {
            CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Environment);
            if (slot == null) return (long)Error.BadHandle;
            if ((slot->Rights & CapabilityRights.Yield) == 0) return (long)Error.NoRights;
            to = EnvTable.Find(slot->Object);        // ended: a plain yield
        }
        env.InEpilogue = false;
        frame->Rax = 0;
        Scheduler.YieldTo(frame, to);
        return 0;
    }

    /// <summary>The name outlives the environment: a child that ended at once still has its
    /// id, and the environment table tells how it ended.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long EnvIdOf(Environment env, ulong handle)
    {
        if (handle == Capability.Self) return (long)env.Id;
        CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Environment);
        return slot == null ? (long)Error.BadHandle : (long)slot->Object;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long PageQuery(Environment env, ulong address, ulong info)
    {
        if (!UserMemory.CanAccess(env.Space, info, (ulong)sizeof(PageInfo), true)) return (long)Error.BadAddress;
        return Mappings.Query(env, address, (PageInfo*)info);
    }

    /// <summary>SliceAlloc: the slot's capability comes from handle's (the caller's own for Capability.Self).</summary>
    private static long SliceAlloc(Environment env, Environment target, ulong handle, ulong slotNumber)
    {
        if (!target.Capabilities.Reserve(1)) return (long)Error.TableFull;
        long slot = Scheduler.Allocate(target, slotNumber);
        if (slot < 0) return slot;
        CapabilitySlot* giver = handle == Capability.Self ? env.Capabilities.SelfSlot : env.Capabilities.Lookup(handle, CapabilityType.Environment);
        return (long)Authority.GrantSlot(target, (int)slot, giver);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long IpcCallRegisters(Environment env, TrapFrame* frame) =>
        Ipc.CallRegisters(env, frame, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long IpcReplyRegisters(Environment env, TrapFrame* frame) =>
        Ipc.ReplyRegisters(env, frame, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10, frame->R8);

    private static long ConsoleWrite(Environment env, ulong bytes, ulong length)
    {
        if (length > (ulong)UserLayout.MaxConsoleWrite) return (long)Error.BadLength;
        if (!UserMemory.CanAccess(env.Space, bytes, length, false)) return (long)Error.BadAddress;
        Console.WriteBytes((byte*)bytes, (long)length);
        return (long)length;
    }

    private static void Exit(Environment env, long status)
    {
        if (status < 0 || status > int.MaxValue) status = int.MaxValue;
        env.WriteLinePrefix();
        Console.Format("exited with status {}\n", (ulong)status);
        EnvTable.Destroy(env, (int)status);
        Scheduler.RunNext();
    }

    /// <summary>The program ends itself as killed, with its own account of why in the kill
    /// line (ExOS: an unhandled exception's type, message and trace, or a fault's), written as
    /// ConsoleWrite writes (at most MaxConsoleWrite bytes).</summary>
    private static void Abort(Environment env, ulong reason, ulong length)
    {
        env.WriteLinePrefix();
        Console.Write("killed: ");
        if (ConsoleWrite(env, reason, length) < 0) Console.Write("Abort with an unreadable reason");
        Console.Write('\n');
        EnvTable.Destroy(env, EnvTable.StatusKilled);
        Scheduler.RunNext();
    }

    private static long AccountQuery(Environment env, ulong info)
    {
        if (!UserMemory.CanAccess(env.Space, info, (ulong)sizeof(AccountInfo), true)) return (long)Error.BadAddress;
        Account account = env.Account;
        var result = (AccountInfo*)info;
        result->FrameLimit = account.FrameLimit;
        result->FramesUsed = account.FramesUsed;
        result->EnvLimit = account.EnvLimit;
        result->EnvsUsed = account.EnvsUsed;
        result->TimeSlotLimit = account.SlotLimit;
        result->TimeSlotsUsed = account.SlotsUsed;
        result->IsMachine = account == Accounts.Root ? 1UL : 0;
        return 0;
    }

    /// <summary>EnvCreate(limits): 0, the child shares the caller's account; otherwise it gets
    /// an account of its own with the AccountLimits there, taken from the caller's.</summary>
    private static long EnvCreate(Environment env, TrapFrame* frame)
    {
        if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
        ulong address = frame->Rdi;
        Account account = env.Account;
        if (address != 0)
        {
            if (!UserMemory.CanAccess(env.Space, address, (ulong)sizeof(AccountLimits), false)) return (long)Error.BadAddress;
            AccountLimits limits = *(AccountLimits*)address;
            if (limits.Envs == 0 || limits.Envs >= Capability.MaxEnvironments || limits.Frames > FrameTable.Count ||
                limits.TimeSlots > Capability.SliceCount) return (long)Error.BadArgument;
            account = Accounts.Open(env.Account, limits.Frames, (uint)limits.Envs, (uint)limits.TimeSlots);
            if (account == null) return Accounts.Refusal(env.Account);
        }
        else if (!account.MayTakeEnvs(1)) return Accounts.Refusal(account);
        Environment child = EnvTable.Create(env.Name, env.Id, account);
        bool spent = child == null && (!account.MayTakeEnvs(1) || !account.MayTakeFrames(1));
        if (account != env.Account) Accounts.Unpin(account);
        if (child == null) return spent ? Accounts.Refusal(account) : (long)Error.TableFull;
        child.Capabilities.InsertAt((int)Capability.Parent, CapabilityType.Environment, env.Id, env.Capabilities.SelfSlot,
                                    CapabilityRights.Call | CapabilityRights.Yield, child.Id);
        UserContext.Save(child.Context, frame);
        child.Frame->Rax = 0;
        child.ExceptionEntry = env.ExceptionEntry;
        child.ExceptionStackTop = env.ExceptionStackTop;
        Scheduler.SetForeignLimit(child, env.Fast->ForeignLimit);
        Cpu.SaveSegmentBases(&child.Fast->FsBase);          // the caller's, live in the CPU
        return (long)env.Capabilities.Insert(CapabilityType.Environment, child.Id, true);
    }

    private static long EnvSetName(Environment env, Environment target, ulong text, ulong length)
    {
        if (length == 0 || length > 32) return (long)Error.BadLength;
        if (!UserMemory.CanAccess(env.Space, text, length, false)) return (long)Error.BadAddress;
        byte* bytes = (byte*)text;
        for (ulong i = 0; i < length; i++)
            if (bytes[i] < 0x21 || bytes[i] > 0x7E) return (long)Error.BadArgument;
        target.Name = new string((sbyte*)bytes, 0, (int)length);
        return 0;
    }

    private static long EnvSetStatus(Environment env, TrapFrame* frame, Environment target, ulong status)
    {
        if (status != (ulong)EnvStatus.Runnable && status != (ulong)EnvStatus.NotRunnable) return (long)Error.BadArgument;
        target.Runnable = status == (ulong)EnvStatus.Runnable;
        EnvTable.Publish(target);
        if (target == env && !target.Runnable)
        {
            frame->Rax = 0;
            Scheduler.YieldTo(frame, null);
        }
        return 0;
    }

    private static long EnvSetRegisters(Environment env, Environment target, ulong registers)
    {
        if (target == env) return (long)Error.BadArgument;
        if (!UserMemory.CanAccess(env.Space, registers, (ulong)sizeof(Registers), false)) return (long)Error.BadAddress;
        Registers r = *(Registers*)registers;
        if (!AddressSpace.IsUserRange(r.Rip, 1)) return (long)Error.BadAddress;
        TrapFrame* f = target.Frame;
        System.Buffer.MemoryCopy(&r, f, 15 * 8, 15 * 8);
        f->Rip = r.Rip;
        f->Rsp = r.Rsp;
        f->Rflags = UserContext.SanitizeFlags(r.Rflags);
        return 0;
    }

    /// <summary>The area is copied in first, then checked, so the kernel's XRSTOR of the
    /// context never meets a header that would fault in ring 0.</summary>
    private static long EnvSetExtendedState(Environment env, Environment target, ulong area, ulong length)
    {
        if (length != ExtendedState.Size) return (long)Error.BadLength;
        byte* copy = stackalloc byte[UserContext.XStateArea];
        if (!UserMemory.CopyFrom(env, area, copy, length)) return (long)Error.BadAddress;
        if (!ExtendedState.IsValid(copy)) return (long)Error.BadArgument;
        System.Buffer.MemoryCopy(copy, target.Context, (long)length, (long)length);
        return 0;
    }

    private static long EnvDestroy(Environment env, Environment target)
    {
        target.WriteLinePrefix();
        Console.Format("destroyed by env {}\n", env.Id);
        EnvTable.Destroy(target, EnvTable.StatusKilled);
        if (target == env) Scheduler.RunNext();
        return 0;
    }

    /// <summary>PageMapRange(env, address, count, handles, flags).</summary>
    private static long PageMapRange(Environment env, Environment target, ulong address, ulong count, ulong handles, ulong flags)
    {
        if (count == 0) return 0;
        if (count > Capability.MaxPageMapBatch) return (long)Error.BadLength;
        if (!UserMemory.CanAccess(env.Space, handles, count * 8, false)) return (long)Error.BadAddress;
        return Mappings.MapRange(env, target, address, (int)count, (ulong*)handles, flags);
    }
}
