// Protected control transfer between environments. IpcWait blocks a receiver; IpcCall
// delivers three words (and optionally a frame capability) to a waiting receiver, blocks the
// caller and runs the receiver at once on the caller's slice; IpcReply answers, and with a
// wait message it also waits for the next call and gives the slice back to the caller (the
// round trip of an RPC server). A caller whose receiver dies is woken with NoSuchEnv.
// Missing: register-only fast paths (issue 6), queued callers (a busy receiver refuses).
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class Ipc
    {
        public static long Wait(Environment env, TrapFrame* frame, ulong message)
        {
            if (!UserMemory.CanAccess(env.Space, message, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
            env.IpcWaitMessage = message;
            EnvTable.Publish(env);
            frame->Rax = 0;
            Scheduler.SaveCurrent(frame);
            Scheduler.RunNext();
            return 0;
        }

        public static long Call(Environment env, TrapFrame* frame, ulong targetId, ulong message)
        {
            if (!UserMemory.CanAccess(env.Space, message, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
            Environment target = EnvTable.Find(targetId);
            if (target == null) return (long)Error.NoSuchEnv;
            if (target == env) return (long)Error.BadArgument;
            if (target.IpcWaitMessage == 0) return (long)Error.NotReceiving;
            IpcMessage m = *(IpcMessage*)message;
            long granted = Grant(env, target, ref m);
            if (granted < 0) return granted;
            m.From = env.Id;
            ulong into = target.IpcWaitMessage;
            if (!UserMemory.CopyTo(target, into, &m, (ulong)sizeof(IpcMessage)))
            {
                DropGrant(target, m.FrameHandle);
                return (long)Error.NoSuchEnv;       // the receiver's buffer went away: treat it as gone
            }
            target.IpcWaitMessage = 0;
            target.Frame->Rax = 0;
            env.IpcCallee = target.Id;
            env.IpcReplyMessage = message;
            EnvTable.Publish(target);
            EnvTable.Publish(env);
            frame->Rax = 0;
            Scheduler.SaveCurrent(frame);
            Scheduler.Switch(target);
            return 0;
        }

        public static long Reply(Environment env, TrapFrame* frame, ulong callerId, ulong message, ulong waitMessage)
        {
            Environment caller = EnvTable.Find(callerId);
            if (caller == null) return (long)Error.NoSuchEnv;
            if (caller.IpcCallee != env.Id) return (long)Error.NotCalling;
            IpcMessage m;
            if (!UserMemory.CopyFrom(env, message, &m, (ulong)sizeof(IpcMessage))) return (long)Error.BadAddress;
            if (waitMessage != 0 && !UserMemory.CanAccess(env.Space, waitMessage, (ulong)sizeof(IpcMessage), true)) return (long)Error.BadAddress;
            long granted = Grant(env, caller, ref m);
            if (granted < 0) return granted;
            m.From = env.Id;
            bool delivered = UserMemory.CopyTo(caller, caller.IpcReplyMessage, &m, (ulong)sizeof(IpcMessage));
            if (!delivered) DropGrant(caller, m.FrameHandle);
            caller.Frame->Rax = delivered ? 0 : unchecked((ulong)(long)Error.BadAddress);
            caller.IpcCallee = 0;
            caller.IpcReplyMessage = 0;
            EnvTable.Publish(caller);
            if (waitMessage == 0) return 0;
            env.IpcWaitMessage = waitMessage;
            EnvTable.Publish(env);
            frame->Rax = 0;
            Scheduler.SaveCurrent(frame);
            Scheduler.Switch(caller);
            return 0;
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
            FrameTable.Retain(slot->Object);
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
