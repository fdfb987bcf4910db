// Protected control transfer between environments. IpcWait blocks a receiver; IpcCall, through
// an endpoint (an environment capability with the Call right), delivers three words, the
// endpoint's badge and optionally a capability of any kind to a waiting receiver, puts a
// one-shot reply capability in the receiver's reply slot, blocks the caller and runs the
// receiver at once on the caller's slice; IpcReply answers through that reply capability, and
// with a wait message it also waits for the next call and gives the slice back to the caller
// (the round trip of an RPC server). A caller whose receiver dies is woken with NoSuchEnv; one
// whose receiver drops the reply capability (CapDrop, or taking a new call) with CallDropped.
// The *Registers calls carry the words in registers (no buffer, no copy through the other
// address space); either form can talk to the other (Deliver picks the receiver's place).
// stubs.asm does the common register-to-register cases itself (its IPC fast paths must
// change exactly what CallWith and ReplyWith change). Missing: queued callers (a busy
// receiver refuses).
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Ipc
{
    /// <summary>IpcWaitMessage / IpcReplyMessage when the message goes to the environment's
    /// registers (the *Registers calls) instead of a buffer: never a user address.</summary>
    public const ulong InRegisters = 1;

    public static long Wait(Environment env, TrapFrame* frame, ulong message)
    {
        if (!UserMemory.CanAccess(env.Space, message, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
        return WaitAt(env, frame, message);
    }

    /// <summary>IpcWaitRegisters.</summary>
    public static long WaitRegisters(Environment env, TrapFrame* frame) => WaitAt(env, frame, InRegisters);

    /// <summary>place: a checked buffer, or InRegisters.</summary>
    private static long WaitAt(Environment env, TrapFrame* frame, ulong place)
    {
        env.IpcWaitMessage = place;
        EnvTable.Publish(env);
        frame->Rax = 0;
        Scheduler.SaveCurrent(frame);
        Scheduler.RunNext();
        return 0;
    }

    /// <summary>IpcCall: the message from the caller's memory, the reply into it.</summary>
    public static long Call(Environment env, TrapFrame* frame, ulong endpoint, ulong message)
    {
        if (!UserMemory.CanAccess(env.Space, message, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
        return CallWith(env, frame, endpoint, *(IpcMessage*)message, message);
    }

    /// <summary>IpcCallRegisters: three words from registers (no frame), the reply into registers.</summary>
    public static long CallRegisters(Environment env, TrapFrame* frame, ulong endpoint, ulong word0, ulong word1, ulong word2)
    {
        IpcMessage m = default;
        m.Word0 = word0;
        m.Word1 = word1;
        m.Word2 = word2;
        return CallWith(env, frame, endpoint, m, InRegisters);
    }

    /// <summary>replyPlace: where the reply goes (a checked buffer, or InRegisters).</summary>
    private static long CallWith(Environment env, TrapFrame* frame, ulong endpoint, IpcMessage m, ulong replyPlace)
    {
        CapabilitySlot* slot = env.Capabilities.Lookup(endpoint, CapabilityType.Environment);
        if (slot == null) return (long)Error.BadHandle;
        if ((slot->Rights & CapabilityRights.Call) == 0) return (long)Error.NoRights;
        Environment target = EnvTable.Find(slot->Object);
        if (target == null) return (long)Error.NoSuchEnv;
        if (target == env) return (long)Error.BadArgument;
        if (target.IpcWaitMessage == 0) return (long)Error.NotReceiving;
        ulong badge = slot->Badge;
        long granted = Authority.Transfer(env, target, m.Handle, m.HandleFlags);
        if (granted < 0) return granted;
        m.Handle = (ulong)granted;
        m.From = badge;
        if (!Deliver(target, target.IpcWaitMessage, &m))
        {
            Authority.Untransfer(target, m.Handle);
            return (long)Error.NoSuchEnv;       // the receiver's buffer went away: treat it as gone
        }
        if (target.Capabilities.ReplySlot->Type == CapabilityType.Reply) DropReply(target);
        target.IpcWaitMessage = 0;
        target.Frame->Rax = target.Capabilities.SetReply(env.Id);
        env.IpcCallee = target.Id;
        env.IpcReplyMessage = replyPlace;
        EnvTable.Publish(target);
        EnvTable.Publish(env);
        frame->Rax = 0;
        Scheduler.SaveCurrent(frame);
        Scheduler.Switch(target);
        return 0;
    }

    /// <summary>The caller env's reply capability names, using it up; null with the error when
    /// the handle is not env's reply capability or the caller is gone.</summary>
    private static Environment TakeCaller(Environment env, ulong reply, out long error)
    {
        error = 0;
        CapabilitySlot* slot = env.Capabilities.Lookup(reply, CapabilityType.Reply);
        if (slot == null)
        {
            error = (long)Error.BadHandle;
            return null;
        }
        Environment caller = EnvTable.Find(slot->Object);
        if (caller == null || caller.IpcCallee != env.Id)
        {
            env.Capabilities.ConsumeReply();
            error = caller == null ? (long)Error.NoSuchEnv : (long)Error.NotCalling;
            return null;
        }
        return caller;
    }

    /// <summary>env drops its reply capability unused: the caller it names is woken with CallDropped.</summary>
    public static void DropReply(Environment env)
    {
        Environment caller = EnvTable.Find(env.Capabilities.ReplySlot->Object);
        env.Capabilities.ConsumeReply();
        if (caller == null || caller.IpcCallee != env.Id) return;
        caller.IpcCallee = 0;
        caller.IpcReplyMessage = 0;
        caller.Frame->Rax = unchecked((ulong)(long)Error.CallDropped);
        EnvTable.Publish(caller);
    }

    /// <summary>IpcReply: the reply from the caller's memory; waitMessage 0 or a buffer.</summary>
    public static long Reply(Environment env, TrapFrame* frame, ulong reply, ulong message, ulong waitMessage)
    {
        if (env.Capabilities.Lookup(reply, CapabilityType.Reply) == null) return (long)Error.BadHandle;
        IpcMessage m;
        if (!UserMemory.CopyFrom(env, message, &m, (ulong)sizeof(IpcMessage))) return (long)Error.BadAddress;
        if (waitMessage != 0 && !UserMemory.CanAccess(env.Space, waitMessage, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
        return ReplyWith(env, frame, reply, m, waitMessage);
    }

    /// <summary>IpcReplyRegisters: three words from registers; wait non-zero: then wait for
    /// the next call in registers.</summary>
    public static long ReplyRegisters(Environment env, TrapFrame* frame, ulong reply, ulong word0, ulong word1, ulong word2, ulong wait)
    {
        if (env.Capabilities.Lookup(reply, CapabilityType.Reply) == null) return (long)Error.BadHandle;
        if (wait > 1) return (long)Error.BadArgument;
        IpcMessage m = default;
        m.Word0 = word0;
        m.Word1 = word1;
        m.Word2 = word2;
        return ReplyWith(env, frame, reply, m, wait != 0 ? InRegisters : 0);
    }

    /// <summary>waitPlace: 0 (carry on), a checked buffer, or InRegisters.</summary>
    private static long ReplyWith(Environment env, TrapFrame* frame, ulong reply, IpcMessage m, ulong waitPlace)
    {
        Environment caller = TakeCaller(env, reply, out long error);
        if (caller == null) return error;
        long granted = Authority.Transfer(env, caller, m.Handle, m.HandleFlags);
        if (granted < 0) return granted;       // the reply capability is not used up
        env.Capabilities.ConsumeReply();
        m.Handle = (ulong)granted;
        m.From = 0;
        bool delivered = Deliver(caller, caller.IpcReplyMessage, &m);
        if (!delivered) Authority.Untransfer(caller, m.Handle);
        caller.Frame->Rax = delivered ? 0 : unchecked((ulong)(long)Error.BadAddress);
        caller.IpcCallee = 0;
        caller.IpcReplyMessage = 0;
        EnvTable.Publish(caller);
        if (waitPlace == 0) return 0;
        env.IpcWaitMessage = waitPlace;
        EnvTable.Publish(env);
        frame->Rax = 0;
        Scheduler.SaveCurrent(frame);
        Scheduler.Switch(caller);
        return 0;
    }

    /// <summary>Puts a message where env waits for it: its buffer (through its own address
    /// space, checked again now), or its saved registers: rdi = From, rsi, rdx, r10 = the
    /// words, r8 = Handle, r9 = HandleFlags (rax is the caller's to set). False when
    /// the buffer is no longer writable. Precondition: env is blocked (its context saved).</summary>
    private static bool Deliver(Environment env, ulong place, IpcMessage* m)
    {
        if (place != InRegisters) return UserMemory.CopyTo(env, place, m, (ulong)sizeof(IpcMessage));
        TrapFrame* f = env.Frame;
        f->Rdi = m->From;
        f->Rsi = m->Word0;
        f->Rdx = m->Word1;
        f->R10 = m->Word2;
        f->R8 = m->Handle;
        f->R9 = m->HandleFlags;
        return true;
    }

    /// <summary>env is ending: everyone blocked in a call to it gets NoSuchEnv.</summary>
    public static void Forget(Environment env) => EnvTable.ForEach(&WakeCallerOf, env);

    private static void WakeCallerOf(Environment candidate, Environment ended)
    {
        if (candidate.IpcCallee != ended.Id) return;
        candidate.IpcCallee = 0;
        candidate.IpcReplyMessage = 0;
        candidate.Frame->Rax = unchecked((ulong)(long)Error.NoSuchEnv);
        EnvTable.Publish(candidate);
    }
}
