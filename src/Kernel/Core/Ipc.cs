// Protected control transfer between environments. IpcWait blocks a receiver; IpcCall
// delivers three words (and optionally a frame capability) to a waiting receiver, blocks the
// caller and runs the receiver at once on the caller's slice; IpcReply answers, and with a
// wait message it also waits for the next call and gives the slice back to the caller (the
// round trip of an RPC server). A caller whose receiver dies is woken with NoSuchEnv.
// The *Registers calls carry the words in registers (no buffer, no copy through the other
// address space); either form can talk to the other (Deliver picks the receiver's place).
// stubs.asm does the common register-to-register cases itself (its IPC fast paths must
// change exactly what CallWith and ReplyWith change). Missing: queued callers (a busy
// receiver refuses).
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
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
        public static long Call(Environment env, TrapFrame* frame, ulong targetId, ulong message)
        {
            if (!UserMemory.CanAccess(env.Space, message, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
            return CallWith(env, frame, targetId, *(IpcMessage*)message, message);
        }

        /// <summary>IpcCallRegisters: three words from registers (no frame), the reply into registers.</summary>
        public static long CallRegisters(Environment env, TrapFrame* frame, ulong targetId, ulong word0, ulong word1, ulong word2)
        {
            IpcMessage m = default;
            m.Word0 = word0;
            m.Word1 = word1;
            m.Word2 = word2;
            return CallWith(env, frame, targetId, m, InRegisters);
        }

        /// <summary>replyPlace: where the reply goes (a checked buffer, or InRegisters).</summary>
        private static long CallWith(Environment env, TrapFrame* frame, ulong targetId, IpcMessage m, ulong replyPlace)
        {
            Environment target = EnvTable.Find(targetId);
            if (target == null) return (long)Error.NoSuchEnv;
            if (target == env) return (long)Error.BadArgument;
            if (target.IpcWaitMessage == 0) return (long)Error.NotReceiving;
            long granted = Grant(env, target, ref m);
            if (granted < 0) return granted;
            m.From = env.Id;
            if (!Deliver(target, target.IpcWaitMessage, &m))
            {
                DropGrant(target, m.FrameHandle);
                return (long)Error.NoSuchEnv;       // the receiver's buffer went away: treat it as gone
            }
            target.IpcWaitMessage = 0;
            target.Frame->Rax = 0;
            env.IpcCallee = target.Id;
            env.IpcReplyMessage = replyPlace;
            EnvTable.Publish(target);
            EnvTable.Publish(env);
            frame->Rax = 0;
            Scheduler.SaveCurrent(frame);
            Scheduler.Switch(target);
            return 0;
        }

        /// <summary>IpcReply: the reply from the caller's memory; waitMessage 0 or a buffer.</summary>
        public static long Reply(Environment env, TrapFrame* frame, ulong callerId, ulong message, ulong waitMessage)
        {
            Environment caller = EnvTable.Find(callerId);
            if (caller == null) return (long)Error.NoSuchEnv;
            if (caller.IpcCallee != env.Id) return (long)Error.NotCalling;
            IpcMessage m;
            if (!UserMemory.CopyFrom(env, message, &m, (ulong)sizeof(IpcMessage))) return (long)Error.BadAddress;
            if (waitMessage != 0 && !UserMemory.CanAccess(env.Space, waitMessage, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
            return ReplyWith(env, frame, caller, m, waitMessage);
        }

        /// <summary>IpcReplyRegisters: three words from registers; wait non-zero: then wait for
        /// the next call in registers.</summary>
        public static long ReplyRegisters(Environment env, TrapFrame* frame, ulong callerId, ulong word0, ulong word1, ulong word2, ulong wait)
        {
            Environment caller = EnvTable.Find(callerId);
            if (caller == null) return (long)Error.NoSuchEnv;
            if (caller.IpcCallee != env.Id) return (long)Error.NotCalling;
            if (wait > 1) return (long)Error.BadArgument;
            IpcMessage m = default;
            m.Word0 = word0;
            m.Word1 = word1;
            m.Word2 = word2;
            return ReplyWith(env, frame, caller, m, wait != 0 ? InRegisters : 0);
        }

        /// <summary>waitPlace: 0 (carry on), a checked buffer, or InRegisters.</summary>
        private static long ReplyWith(Environment env, TrapFrame* frame, Environment caller, IpcMessage m, ulong waitPlace)
        {
            long granted = Grant(env, caller, ref m);
            if (granted < 0) return granted;
            m.From = env.Id;
            bool delivered = Deliver(caller, caller.IpcReplyMessage, &m);
            if (!delivered) DropGrant(caller, m.FrameHandle);
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
        /// words, r8 = FrameHandle, r9 = FrameFlags (rax is the caller's to set). False when
        /// the buffer is no longer writable. Precondition: env is blocked (its context saved).</summary>
        private static bool Deliver(Environment env, ulong place, IpcMessage* m)
        {
            if (place != InRegisters) return UserMemory.CopyTo(env, place, m, (ulong)sizeof(IpcMessage));
            TrapFrame* f = env.Frame;
            f->Rdi = m->From;
            f->Rsi = m->Word0;
            f->Rdx = m->Word1;
            f->R10 = m->Word2;
            f->R8 = m->FrameHandle;
            f->R9 = m->FrameFlags;
            return true;
        }

        /// <summary>Gives the receiver its own capability for the frame the message names;
        /// rewrites FrameHandle to the receiver's handle (0 when there is none).</summary>
        private static long Grant(Environment from, Environment to, ref IpcMessage m)
        {
            if (m.FrameHandle == 0) return 0;
            CapabilitySlot* slot = from.Capabilities.Lookup(m.FrameHandle, CapabilityType.Frame);
            if (slot == null) return (long)Error.BadHandle;
            bool writable = (m.FrameFlags & PageFlags.Writable) != 0;
            if (writable && !slot->Writable) return (long)Error.NoRights;
            if (to.Capabilities.FreeSlots == 0) return (long)Error.TableFull;
            if (!FrameTable.Retain(slot->Object)) return (long)Error.TableFull;     // its count is at the limit
            m.FrameHandle = to.Capabilities.Insert(CapabilityType.Frame, slot->Object, writable);
            return 0;
        }

        private static void DropGrant(Environment env, ulong handle)
        {
            if (handle == 0) return;
            CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Frame);
            if (slot != null) env.Capabilities.Release(slot);
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
}
